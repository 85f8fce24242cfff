package io.cloudnexus.gateway.domain;

import java.time.Instant;

/**
 * The credential a request was admitted with, as far as it must be verified again later: an open
 * stream re-checks it periodically, and a stream ticket is bound to it. Never the secret itself: an API
 * key by its SHA-256 hash, an OIDC access token by its subject, account and expiry, an access token
 * of the gateway's own by its id, client and expiry.
 */
public sealed interface Credential {

    /** The account the credential stands for. */
    String accountId();

    /** An API key, by the hash the database stores. */
    record ApiKey(String accountId, String keyHash) implements Credential {}

    /** A verified OIDC access token: valid until {@code expiresAt} (its {@code exp}) at most. */
    record Oidc(String accountId, String subject, Instant expiresAt) implements Credential {}

    /**
     * An access token the gateway issued (OAuth client credentials): valid until {@code expiresAt} unless its
     * {@code jti} or its client is revoked.
     */
    record OAuth(String accountId, String clientId, String jti, Instant expiresAt) implements Credential {}
}
