-- Events API and recovery (docs/webhook-service.md, "Events API and recovery").
--
-- webhook_event.test: the event was made by POST /webhooks/{id}/test (a catalog sample or given data sent to one
-- endpoint), not by the platform. Test events are never listed by the Events API, never streamed and never
-- recovered; their deliveries keep webhook_delivery.test as before. A column rather than a look at the deliveries,
-- because a test delivery can be purged from the dead-letter queue while its event stays.
ALTER TABLE webhook_event ADD COLUMN test BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE webhook_event e SET test = TRUE
    WHERE EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = e.event_id AND d.test);

-- webhook_endpoint.paused_at: when the endpoint was paused (NULL unless paused). On resume the failure streak
-- (failing_since) is moved forward by the time spent paused, so the failure window counts only active time.
ALTER TABLE webhook_endpoint ADD COLUMN paused_at TIMESTAMPTZ;
UPDATE webhook_endpoint SET paused_at = updated_at WHERE status = 'paused';
