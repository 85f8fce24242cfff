package io.cloudnexus.gateway;

import java.security.PublicKey;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import io.smallrye.jwt.util.KeyUtils;

/** Verifies forwarded identity tokens with the test public key, as the services do. */
public final class IdentityTokenVerifier {

    private static final JwtConsumer CONSUMER;

    static {
        try {
            PublicKey key = KeyUtils.readPublicKey("cloudnexus/identity/test-public.pem");
            CONSUMER = new JwtConsumerBuilder()
                    .setVerificationKey(key)
                    .setExpectedIssuer("cloudnexus-gateway")
                    .setExpectedAudience("cloudnexus-services")
                    .setRequireExpirationTime()
                    .setRequireSubject()
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private IdentityTokenVerifier() {}

    /** The claims of a bearer header's token; throws if the signature or claims do not verify. */
    public static JwtClaims verify(String authorizationHeader) throws Exception {
        if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
            throw new AssertionError("No bearer token: " + authorizationHeader);
        }
        return CONSUMER.processToClaims(authorizationHeader.substring(7));
    }
}
