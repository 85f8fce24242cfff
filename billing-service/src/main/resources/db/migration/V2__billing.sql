-- billing-service tables. event_store (V1) comes from the event-store library (db/event-store) and holds the
-- invoice aggregates (billing.invoice.finalized); these are the metering state and the invoice read models.

-- Every compute/cluster event consumed, keyed by its event id: inserted in the same transaction as the event's
-- usage effect, so a redelivered event (same ce_id) finds its row and changes nothing.
CREATE TABLE consumed_event (
    event_id     TEXT         PRIMARY KEY,
    type         TEXT         NOT NULL,
    account_id   TEXT         NOT NULL,
    occurred_at  TIMESTAMPTZ  NOT NULL,
    outcome      TEXT         NOT NULL,
    consumed_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- The plan of every server billing has heard of (from server.created, then server.scaled).
CREATE TABLE metered_server (
    server_id    TEXT         PRIMARY KEY,
    account_id   TEXT         NOT NULL,
    plan         TEXT         NOT NULL
);

-- Billable time: one row per resource per price (a server between provisioned and scaled/terminated at one plan,
-- a cluster node between joining and its cluster's deletion). ended_at NULL = still running.
CREATE TABLE usage_segment (
    id            BIGSERIAL    PRIMARY KEY,
    account_id    TEXT         NOT NULL,
    resource_type TEXT         NOT NULL CHECK (resource_type IN ('server', 'node')),
    resource_id   TEXT         NOT NULL,
    cluster_id    TEXT,
    sku           TEXT         NOT NULL,
    started_at    TIMESTAMPTZ  NOT NULL,
    ended_at      TIMESTAMPTZ,
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX usage_segment_one_open ON usage_segment (resource_id) WHERE ended_at IS NULL;
CREATE INDEX usage_segment_account ON usage_segment (account_id, started_at);
CREATE INDEX usage_segment_open_cluster ON usage_segment (cluster_id) WHERE ended_at IS NULL;

-- One invoice per account and monthly period: a draft while the period is open, then finalized (immutable;
-- its billing.invoice.finalized event is version 1 of the invoice's stream in event_store).
CREATE TABLE invoice (
    id               TEXT         PRIMARY KEY,
    account_id       TEXT         NOT NULL,
    period_start     DATE         NOT NULL,
    period_end       DATE         NOT NULL,
    status           TEXT         NOT NULL CHECK (status IN ('draft', 'finalized')),
    currency         TEXT         NOT NULL,
    amount_due       BIGINT,
    line_items_count INTEGER,
    created_at       TIMESTAMPTZ  NOT NULL,
    finalized_at     TIMESTAMPTZ,
    CONSTRAINT invoice_account_period UNIQUE (account_id, period_start)
);
CREATE INDEX invoice_account_listing ON invoice (account_id, period_start DESC, id DESC);
CREATE INDEX invoice_drafts ON invoice (period_start) WHERE status = 'draft';

-- The line items of finalized invoices, frozen at finalization (drafts compute theirs from usage_segment).
CREATE TABLE invoice_line_item (
    invoice_id     TEXT         NOT NULL REFERENCES invoice (id),
    position       INTEGER      NOT NULL,
    resource_type  TEXT         NOT NULL,
    resource_id    TEXT         NOT NULL,
    sku            TEXT         NOT NULL,
    description    TEXT         NOT NULL,
    usage_seconds  BIGINT       NOT NULL,
    unit_amount    INTEGER      NOT NULL,
    amount         BIGINT       NOT NULL,
    PRIMARY KEY (invoice_id, position)
);
