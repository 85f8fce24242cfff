-- Engine hardening: replica heartbeats (fast takeover of a dead replica's leases, rate-limit shares),
-- per-endpoint rate limits set by the customer, and a durable trace of attempts started but never recorded.

-- One row per running replica (its lease owner id). A replica whose heartbeat_at is older than
-- scheduler.dead-after is dead: the deliveries it leased are free at once. A clean stop deletes the row.
CREATE TABLE webhook_engine (
    id            TEXT         PRIMARY KEY,
    started_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    heartbeat_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Requests per second across all replicas; NULL = lane.rate-per-second.
ALTER TABLE webhook_endpoint ADD COLUMN rate_limit INT CHECK (rate_limit IS NULL OR rate_limit > 0);

-- attempts + 1 while a replica holds the delivery for its next attempt, = attempts otherwise. A claim that finds
-- started_attempts > attempts takes over from a replica that died (or lost its lease) with the attempt possibly
-- sent but never recorded, and counts that attempt in attempts.
ALTER TABLE webhook_delivery ADD COLUMN started_attempts INT NOT NULL DEFAULT 0;
UPDATE webhook_delivery SET started_attempts = attempts;

-- lease renewal, release on stop, takeover checks
CREATE INDEX webhook_delivery_lease_owner ON webhook_delivery (lease_owner) WHERE lease_owner IS NOT NULL;
