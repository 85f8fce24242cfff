package io.cloudnexus.gateway.service;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.gateway.config.IdentityConfig;
import io.cloudnexus.gateway.domain.Caller;
import io.cloudnexus.gateway.domain.Scope;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

/**
 * Mints the identity token forwarded to the services (see docs/architecture.md, "Service identity"):
 * RS256, issuer {@value #ISSUER}, audience {@value #AUDIENCE}, {@code sub} = account, {@code tier},
 * {@code groups} = scopes, valid {@value #TTL_SECONDS} s. A token is reused for the same account, tier
 * and scopes for a few seconds (well inside its lifetime) to keep signing off the hot path. Created at
 * start, so that a missing or unreadable key stops the gateway from starting.
 */
@Startup
@ApplicationScoped
public class IdentityTokenMinter {
    public static final String ISSUER = "cloudnexus-gateway";
    public static final String AUDIENCE = "cloudnexus-services";
    public static final long TTL_SECONDS = 60;
    /** {@code sub} and the only group of the operator token (never an account's: see {@link #operatorToken}). */
    public static final String OPERATOR = "operator";

    private record Minted(String token, long reuseUntil) {}

    private final PrivateKey key;
    private final long reuseNanos;
    private final Map<Caller, Minted> recent = new ConcurrentHashMap<>();

    public IdentityTokenMinter(IdentityConfig config) {
        try {
            this.key = readKey(config.signingKeyLocation());
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Cannot read the identity signing key at cloudnexus.identity.signing-key-location="
                            + config.signingKeyLocation(),
                    e);
        }
        if (key == null) {
            throw new IllegalStateException("No PKCS#8 private key at " + config.signingKeyLocation());
        }
        this.reuseNanos = config.tokenReuse().toNanos();
    }

    /** A PKCS#8 PEM private key from {@code file:/path} or the classpath. */
    public static PrivateKey readKey(String location) throws Exception {
        if (location.startsWith("file:")) {
            Path path = location.startsWith("file://") ? Path.of(URI.create(location)) : Path.of(location.substring(5));
            return KeyUtils.decodePrivateKey(Files.readString(path, StandardCharsets.US_ASCII));
        }
        return KeyUtils.readPrivateKey(location.startsWith("classpath:") ? location.substring(10) : location);
    }

    public String tokenFor(Caller caller) {
        long now = System.nanoTime();
        Minted minted = recent.get(caller);
        if (minted == null || minted.reuseUntil() - now < 0) {
            minted = new Minted(mint(caller), now + reuseNanos);
            recent.put(caller, minted);
        }
        return minted.token();
    }

    /**
     * A token for the platform operator ({@code sub} and {@code groups} {@value #OPERATOR}), minted only
     * for the admin API's operator routes, never reused.
     */
    public String operatorToken() {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(OPERATOR)
                .groups(Set.of(OPERATOR))
                .expiresIn(TTL_SECONDS)
                .jws()
                .keyId("cloudnexus-gateway")
                .sign(key);
    }

    /**
     * An account's token. Its subject must be an account id and its groups are only CloudNexus scopes,
     * so no account credential can ever carry the operator identity.
     */
    private String mint(Caller caller) {
        if (!ResourceIds.isValid(ResourceIds.ACCOUNT, caller.accountId())) {
            throw new IllegalStateException("Refusing to mint an identity token for a non-account subject");
        }
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(caller.accountId())
                .claim("tier", caller.tier().wireName())
                .groups(Scope.only(caller.scopes()))
                .expiresIn(TTL_SECONDS)
                .jws()
                .keyId("cloudnexus-gateway")
                .sign(key);
    }

    @Scheduled(every = "60s", delayed = "60s")
    void evictExpired() {
        long now = System.nanoTime();
        recent.values().removeIf(m -> m.reuseUntil() - now < 0);
    }
}
