-- Web console sessions (POST /console/session): a browser exchanges an API key for an opaque cookie
-- (cn_console, 256 random bits); only its SHA-256 is stored (like api_key). A session stands for the API
-- key it was opened with (api_key_id): same account, scopes and rate limit; a revoked key ends it (the
-- lookup joins api_key and requires revoked_at IS NULL; revocation also deletes the key's sessions). The
-- CSRF token is not a credential by itself (it is useless without the cookie) and is shown again by
-- GET /console/session, so its value is kept.
CREATE TABLE console_session (
    cookie_hash      TEXT         PRIMARY KEY,
    api_key_id       TEXT         NOT NULL REFERENCES api_key (id) ON DELETE CASCADE,
    account_id       TEXT         NOT NULL REFERENCES account (id),
    csrf_token       TEXT         NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL,
    last_used_at     TIMESTAMPTZ  NOT NULL,
    -- absolute expiry (created_at + console.session-lifetime)
    expires_at       TIMESTAMPTZ  NOT NULL,
    -- idle expiry: last_used_at + console.idle-timeout, never after expires_at
    idle_expires_at  TIMESTAMPTZ  NOT NULL
);

CREATE INDEX console_session_api_key ON console_session (api_key_id);
CREATE INDEX console_session_expiry ON console_session (idle_expires_at);
