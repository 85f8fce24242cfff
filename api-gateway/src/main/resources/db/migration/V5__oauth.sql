-- OAuth 2.0 (client credentials) and self-service API keys (docs/oauth.md).

-- OAuth clients of an account: the secret is stored only as its SHA-256 (shown once, like an API key).
-- Deleting a client sets deleted_at and revokes every token it was issued (oauth_revocation, kind 'client').
CREATE TABLE oauth_client (
    id           TEXT         PRIMARY KEY,
    account_id   TEXT         NOT NULL REFERENCES account (id),
    name         TEXT,
    secret_hash  TEXT         NOT NULL UNIQUE,
    -- space-separated scopes: read, write, admin
    scopes       TEXT         NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    deleted_at   TIMESTAMPTZ
);

CREATE INDEX oauth_client_account ON oauth_client (account_id);

-- The shared revocation list every replica keeps in memory (re-read every oauth.revocation-refresh): a token
-- by its jti (RFC 7009), or every token of a deleted client by the client id. A row is only needed until no
-- token it names can be valid any more (expires_at): then it is deleted.
CREATE TABLE oauth_revocation (
    id          TEXT         PRIMARY KEY,
    kind        TEXT         NOT NULL CHECK (kind IN ('token', 'client')),
    revoked_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ  NOT NULL
);

CREATE INDEX oauth_revocation_expiry ON oauth_revocation (expires_at);

-- The RS256 keys access tokens are signed with: generated once by the first replica (under an advisory lock),
-- the private key AES-256-GCM encrypted (12-byte IV, then ciphertext and tag; the kid is the associated data)
-- under a key derived from the gateway's identity signing key. Every key not retired is in the JWKS.
CREATE TABLE oauth_signing_key (
    kid                   TEXT         PRIMARY KEY,
    public_key            BYTEA        NOT NULL,
    private_key_encrypted BYTEA        NOT NULL,
    created_at            TIMESTAMPTZ  NOT NULL,
    retired_at            TIMESTAMPTZ
);

-- Self-service keys show when they were last used (updated at most once per key cache TTL and replica).
ALTER TABLE api_key ADD COLUMN last_used_at TIMESTAMPTZ;
