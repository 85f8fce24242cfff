-- Events API, recovery and the live stream (docs/webhook-service.md, "Events API and the live stream").
--
-- webhook_event now keeps EVERY event of every account (not only those that matched an endpoint), with:
--   seq          the order the platform stored it in: listings are newest first by seq, a stream resumes with
--                the events whose seq is greater than its `since` event's;
--   resource_id  the aggregate it is about (ce_subject: srv_..., cls_..., inv_..., whk_...), for ?resource=;
--   occurred_at  the envelope's timestamp, for ?from=&to= and the recovery window.
ALTER TABLE webhook_event ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE webhook_event ADD COLUMN resource_id TEXT;
ALTER TABLE webhook_event ADD COLUMN occurred_at TIMESTAMPTZ;
UPDATE webhook_event SET occurred_at = created_at WHERE occurred_at IS NULL;
ALTER TABLE webhook_event ALTER COLUMN occurred_at SET DEFAULT now();
ALTER TABLE webhook_event ALTER COLUMN occurred_at SET NOT NULL;

CREATE UNIQUE INDEX webhook_event_seq ON webhook_event (seq);
CREATE INDEX webhook_event_account_seq ON webhook_event (account_id, seq);
CREATE INDEX webhook_event_account_resource ON webhook_event (account_id, resource_id, seq)
    WHERE resource_id IS NOT NULL;
CREATE INDEX webhook_event_account_occurred ON webhook_event (account_id, occurred_at);

-- Open stream connections (WebSocket and SSE) of every replica, for the per-account cap by tier. A row belongs
-- to the replica (webhook_engine.id) that holds the connection; rows of a replica whose heartbeat is stale do
-- not count, and are deleted by the next replica that starts or reaps.
CREATE TABLE webhook_stream_connection (
    id          TEXT         PRIMARY KEY,
    account_id  TEXT         NOT NULL,
    engine_id   TEXT         NOT NULL,
    opened_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX webhook_stream_connection_account ON webhook_stream_connection (account_id);
CREATE INDEX webhook_stream_connection_engine ON webhook_stream_connection (engine_id);
