-- The gateway's own tables: accounts, their API keys (stored only as a SHA-256 hash; the key itself
-- is shown once) and the stored first responses of idempotent POSTs.
CREATE TABLE account (
    id                TEXT         PRIMARY KEY,
    name              TEXT         NOT NULL,
    tier              TEXT         NOT NULL CHECK (tier IN ('starter', 'professional', 'enterprise')),
    custom_rate_limit INTEGER      CHECK (custom_rate_limit > 0),
    created_at        TIMESTAMPTZ  NOT NULL
);

CREATE TABLE api_key (
    id           TEXT         PRIMARY KEY,
    account_id   TEXT         NOT NULL REFERENCES account (id),
    name         TEXT,
    key_prefix   TEXT         NOT NULL,
    key_hash     TEXT         NOT NULL UNIQUE,
    -- space-separated scopes: read, write, admin
    scopes       TEXT         NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    revoked_at   TIMESTAMPTZ
);

CREATE INDEX api_key_account ON api_key (account_id);

-- One row per (account, Idempotency-Key). status IS NULL while the first request is in flight.
CREATE TABLE idempotency_record (
    account_id      TEXT         NOT NULL,
    idempotency_key TEXT         NOT NULL,
    request_hash    TEXT         NOT NULL,
    status          INTEGER,
    content_type    TEXT,
    location        TEXT,
    body            BYTEA,
    created_at      TIMESTAMPTZ  NOT NULL,
    expires_at      TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (account_id, idempotency_key)
);

CREATE INDEX idempotency_record_expiry ON idempotency_record (expires_at);
