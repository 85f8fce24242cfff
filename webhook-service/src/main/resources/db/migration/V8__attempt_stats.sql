-- Delivery health per endpoint (GET /webhooks/{id}/stats, docs/webhook-service.md, "Delivery health"): success
-- rate, latency percentiles and attempt counts per time bucket over the last hour or day, read from the attempts.
--
-- webhook_attempt.endpoint_id: the endpoint of the attempt's delivery, copied when the attempt is recorded (the
-- result writer takes it from the delivery row in the same INSERT), so the stats read ONE index range per endpoint
-- and window instead of joining every attempt of the window to its delivery. No foreign key: attempts go with their
-- delivery (ON DELETE CASCADE), which goes with its endpoint. NULL on rows older than this migration's backfill
-- window (25 hours, more than the longest stats window); they are never read by the stats and age out with retention.
ALTER TABLE webhook_attempt ADD COLUMN endpoint_id TEXT;
UPDATE webhook_attempt a SET endpoint_id = d.endpoint_id
    FROM webhook_delivery d
    WHERE d.id = a.delivery_id AND a.attempted_at >= now() - interval '25 hours';

-- the stats query: WHERE endpoint_id = ? AND attempted_at >= ? AND attempted_at < ?, an index-only scan (the
-- columns it aggregates are included)
CREATE INDEX webhook_attempt_endpoint_time ON webhook_attempt (endpoint_id, attempted_at)
    INCLUDE (status_code, latency_ms);
