-- Webhook endpoints (subscriptions) of each account. The signing secret is stored encrypted.
CREATE TABLE webhook_endpoint (
    id           TEXT         PRIMARY KEY,
    account_id   TEXT         NOT NULL,
    url          TEXT         NOT NULL,
    description  TEXT,
    event_types  TEXT[]       NOT NULL,
    status       TEXT         NOT NULL CHECK (status IN ('active', 'paused', 'disabled')),
    created_at   TIMESTAMPTZ  NOT NULL,
    updated_at   TIMESTAMPTZ  NOT NULL
);

CREATE INDEX webhook_endpoint_account ON webhook_endpoint (account_id, id);
