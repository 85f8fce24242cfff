-- webhook-service schema: endpoints (subscriptions), the events they receive (envelope stored once per
-- event), one delivery per (event, endpoint) with its durable retry state and lease, every attempt, and
-- an outbox for the service's own events (webhook.endpoint.disabled).

CREATE TABLE webhook_endpoint (
    id                       TEXT         PRIMARY KEY,
    account_id               TEXT         NOT NULL,
    url                      TEXT         NOT NULL,
    description              TEXT,
    event_types              TEXT[]       NOT NULL,
    status                   TEXT         NOT NULL CHECK (status IN ('active', 'paused', 'disabled')),
    disabled_reason          TEXT,
    -- AES-GCM ciphertext (nonce || ciphertext+tag) of the whsec_ secret; never stored in clear
    secret_enc               BYTEA        NOT NULL,
    -- during a rotation: the previous secret and when it stops being signed with
    previous_secret_enc      BYTEA,
    previous_secret_until    TIMESTAMPTZ,
    -- start of the current uninterrupted failure streak (null when the last attempt succeeded)
    failing_since            TIMESTAMPTZ,
    created_at               TIMESTAMPTZ  NOT NULL,
    updated_at               TIMESTAMPTZ  NOT NULL
);
CREATE INDEX webhook_endpoint_account ON webhook_endpoint (account_id, id);

-- One row per event that matched at least one endpoint: the exact envelope bytes that are signed and sent.
CREATE TABLE webhook_event (
    event_id     TEXT         PRIMARY KEY,
    account_id   TEXT         NOT NULL,
    type         TEXT         NOT NULL,
    body         BYTEA        NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE webhook_delivery (
    id                BIGINT       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id          TEXT         NOT NULL REFERENCES webhook_event (event_id),
    endpoint_id       TEXT         NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    account_id        TEXT         NOT NULL,
    event_type        TEXT         NOT NULL,
    test              BOOLEAN      NOT NULL DEFAULT FALSE,
    status            TEXT         NOT NULL CHECK (status IN ('pending', 'retrying', 'delivered', 'dead')),
    attempts          INT          NOT NULL DEFAULT 0,   -- attempts made in total
    failures          INT          NOT NULL DEFAULT 0,   -- failed attempts since the last (re)start of the schedule
    next_attempt_at   TIMESTAMPTZ,                       -- when a pending/retrying delivery is due
    lease_owner       TEXT,                              -- replica holding it in memory
    lease_until       TIMESTAMPTZ,                       -- after this, any replica may claim it
    last_status_code  INT,
    last_latency_ms   INT,
    last_error        TEXT,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    finished_at       TIMESTAMPTZ,                       -- delivered or dead-lettered at
    UNIQUE (event_id, endpoint_id)
);
-- the retry scheduler's claim query: due, unfinished deliveries
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX webhook_delivery_endpoint ON webhook_delivery (endpoint_id, id DESC);
CREATE INDEX webhook_delivery_account ON webhook_delivery (account_id, id DESC);
CREATE INDEX webhook_delivery_dead ON webhook_delivery (endpoint_id, finished_at) WHERE status = 'dead';

CREATE TABLE webhook_attempt (
    id                BIGINT       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id       BIGINT       NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
    attempt           INT          NOT NULL,
    attempted_at      TIMESTAMPTZ  NOT NULL,
    status_code       INT,
    latency_ms        INT          NOT NULL,
    error_class       TEXT,
    response_excerpt  TEXT
);
CREATE INDEX webhook_attempt_delivery ON webhook_attempt (delivery_id, attempt);

-- Transactional outbox of this service's own events, published to webhook.events by OutboxRelay.
CREATE TABLE webhook_outbox (
    id            BIGINT       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      TEXT         NOT NULL UNIQUE,
    account_id    TEXT         NOT NULL,
    type          TEXT         NOT NULL,
    subject       TEXT         NOT NULL,
    data          TEXT         NOT NULL,
    occurred_at   TIMESTAMPTZ  NOT NULL,
    published_at  TIMESTAMPTZ
);
CREATE INDEX webhook_outbox_unpublished ON webhook_outbox (id) WHERE published_at IS NULL;
