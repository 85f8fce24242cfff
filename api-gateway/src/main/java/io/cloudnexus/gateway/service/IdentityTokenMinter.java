package io.cloudnexus.gateway.service;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.IdentityConfig;
import io.cloudnexus.gateway.domain.Caller;
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

    private record Minted(String token, long reuseUntil) {
    }

    private final PrivateKey key;
    private final long reuseNanos;
    private final Map<Caller, Minted> recent = new ConcurrentHashMap<>();

    public IdentityTokenMinter(IdentityConfig config) {
        try {
            this.key = readKey(config.signingKeyLocation());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the identity signing key at cloudnexus.identity.signing-key-location="
                    + config.signingKeyLocation(), e);
        }
        if (key == null) {
            throw new IllegalStateException("No PKCS#8 private key at " + config.signingKeyLocation());
        }
        this.reuseNanos = config.tokenReuse().toNanos();
    }

    /** A PKCS#8 PEM private key from {@code file:/path} or the classpath. */
    static PrivateKey readKey(String location) throws Exception {
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

    private String mint(Caller caller) {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(caller.accountId())
                .claim("tier", caller.tier().wireName())
                .groups(caller.scopes())
                .expiresIn(TTL_SECONDS)
                .jws().keyId("cloudnexus-gateway")
                .sign(key);
    }

    @Scheduled(every = "60s", delayed = "60s")
    void evictExpired() {
        long now = System.nanoTime();
        recent.values().removeIf(m -> m.reuseUntil() - now < 0);
    }
}
