package io.cloudnexus.testsupport;

import java.security.PrivateKey;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/**
 * Mints identity tokens exactly like the api-gateway does, signed with the test key pair whose public
 * half every service under test trusts (see this module's microprofile-config.properties).
 */
public final class IdentityTokens {

    public static final String ISSUER = "cloudnexus-gateway";
    public static final String AUDIENCE = "cloudnexus-services";
    private static final String PRIVATE_KEY = "cloudnexus/identity/test-private.pem";
    private static volatile PrivateKey key;

    private IdentityTokens() {}

    /** A token for {@code accountId} on the professional tier with read and write scopes. */
    public static String forAccount(String accountId) {
        return mint(accountId, "professional", Set.of("read", "write"));
    }

    public static String mint(String accountId, String tier, Set<String> scopes) {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(accountId)
                .claim("tier", tier)
                .groups(scopes)
                .expiresIn(60)
                .jws()
                .keyId("test")
                .sign(privateKey());
    }

    /** The same claims signed by a key nobody trusts: services must answer 401. */
    public static String signedByStranger(String accountId) {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return Jwt.issuer(ISSUER)
                    .audience(AUDIENCE)
                    .subject(accountId)
                    .groups(Set.of("read", "write"))
                    .expiresIn(60)
                    .sign(generator.generateKeyPair().getPrivate());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A correctly signed token that expired a while ago. */
    public static String expired(String accountId) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(accountId)
                .groups(Set.of("read", "write"))
                .issuedAt(now - 600)
                .expiresAt(now - 300)
                .sign(privateKey());
    }

    private static PrivateKey privateKey() {
        if (key == null) {
            try {
                key = KeyUtils.readPrivateKey(PRIVATE_KEY);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot read " + PRIVATE_KEY, e);
            }
        }
        return key;
    }
}
