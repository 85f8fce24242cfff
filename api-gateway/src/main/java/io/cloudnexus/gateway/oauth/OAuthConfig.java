package io.cloudnexus.gateway.oauth;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gateway as an OAuth 2.0 authorization server for machine clients ({@code cloudnexus.gateway.oauth.*}). */
@ConfigMapping(prefix = "cloudnexus.gateway.oauth")
public interface OAuthConfig {

    /**
     * The issuer: the gateway's public base URL as clients reach it, the same on every replica (the {@code iss}
     * of every access token, and the base of the metadata's endpoint URLs). The local platform sets it to its
     * gateway URL; set it in every deployment.
     */
    @WithDefault("http://127.0.0.1:8080")
    String issuer();

    /** The {@code aud} of the access tokens the gateway issues (and requires of them). */
    @WithDefault("cloudnexus-api")
    String audience();

    /** How long an access token is valid ({@code expires_in}). */
    @WithDefault("1h")
    Duration tokenLifetime();

    /**
     * How often every replica re-reads the shared revocation list (and the signing keys) from the database: a
     * revoked token or deleted client stops working on the other replicas within this interval.
     */
    @WithDefault("10s")
    Duration revocationRefresh();

    /**
     * The oldest revocation list a replica may trust: when it could not be re-read for longer (database down),
     * access tokens are answered 503 with Retry-After rather than possibly accepting a revoked one.
     */
    @WithDefault("30s")
    Duration revocationMaxStaleness();

    /**
     * How long one signing key is used: then a new one is generated (by whichever replica notices first) and
     * published in the JWKS, used for signing once every replica has read it, and the old one is retired when
     * no token it signed can still be valid.
     */
    @WithDefault("30d")
    Duration signingKeyRotation();

    /** Allowed clock difference between replicas when checking a token's {@code exp}, {@code iat} and {@code nbf}. */
    @WithDefault("10s")
    Duration clockSkew();

    /** Failed client authentications per client id in one window; more: 429 for that client id. */
    @WithDefault("10")
    int clientAuthFailures();

    /**
     * Failed client authentications per source address in one window (higher: many clients may share an address
     * behind NAT); more: 429 for that address, whatever the client id.
     */
    @WithDefault("50")
    int addressAuthFailures();

    /** The window of both limits (starts with the first failure in it). */
    @WithDefault("5m")
    Duration clientAuthWindow();
}
