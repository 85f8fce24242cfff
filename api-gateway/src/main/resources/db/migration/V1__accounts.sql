-- Accounts and their API keys. Keys are stored only as a hash; the key itself is shown once.
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
    key_prefix   TEXT         NOT NULL,
    key_hash     TEXT         NOT NULL UNIQUE,
    scopes       TEXT[]       NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    revoked_at   TIMESTAMPTZ
);

CREATE INDEX api_key_account ON api_key (account_id);
