-- The claim takes each endpoint's due deliveries up to the room its lane has (one index probe per active
-- endpoint), so one endpoint's backlog can never fill a claim batch that other endpoints' lanes are waiting for.
CREATE INDEX webhook_delivery_endpoint_due ON webhook_delivery (endpoint_id, next_attempt_at)
    WHERE status IN ('pending', 'retrying');
