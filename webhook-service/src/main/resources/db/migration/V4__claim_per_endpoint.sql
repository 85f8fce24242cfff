-- The claim takes each endpoint's due deliveries up to the room its lane has (one index probe per active
-- endpoint), so one endpoint's backlog can never fill a claim batch that other endpoints' lanes are waiting for.
-- The new partial index replaces webhook_delivery_due (same rows; nothing orders all endpoints' due rows anymore),
-- so the hot path keeps one index of unfinished deliveries, not two.
CREATE INDEX webhook_delivery_endpoint_due ON webhook_delivery (endpoint_id, next_attempt_at)
    WHERE status IN ('pending', 'retrying');
DROP INDEX webhook_delivery_due;
