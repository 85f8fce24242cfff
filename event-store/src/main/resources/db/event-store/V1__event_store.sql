-- The source of truth: an append-only event store (see docs/architecture.md).
-- UNIQUE (aggregate_id, version) turns a concurrent write into an optimistic-concurrency conflict.
-- Rows with published_at NULL are the outbox: the relay publishes them in global_seq order.
CREATE TABLE event_store (
    global_seq     BIGSERIAL    PRIMARY KEY,
    event_id       TEXT         NOT NULL UNIQUE,
    account_id     TEXT         NOT NULL,
    aggregate_type TEXT         NOT NULL,
    aggregate_id   TEXT         NOT NULL,
    version        INTEGER      NOT NULL CHECK (version > 0),
    type           TEXT         NOT NULL,
    data           JSONB        NOT NULL,
    occurred_at    TIMESTAMPTZ  NOT NULL,
    published_at   TIMESTAMPTZ,
    CONSTRAINT event_store_aggregate_version UNIQUE (aggregate_id, version)
);

CREATE INDEX event_store_unpublished ON event_store (global_seq) WHERE published_at IS NULL;
CREATE INDEX event_store_account ON event_store (account_id, aggregate_type);
