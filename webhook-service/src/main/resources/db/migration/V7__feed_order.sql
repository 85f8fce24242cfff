-- The live stream's order (docs/webhook-service.md, "The live stream"): every replica's feed emits events in the
-- order of their Kafka record (timestamp, topic, partition, offset), and a stream that resumes with `since`
-- replays the stored events after that event in the same order. So the position of each event's record is kept.
-- Test events (made by the API, not read from Kafka) have none and are never streamed.
ALTER TABLE webhook_event ADD COLUMN feed_ts BIGINT;
ALTER TABLE webhook_event ADD COLUMN feed_topic TEXT;
ALTER TABLE webhook_event ADD COLUMN feed_partition INT;
ALTER TABLE webhook_event ADD COLUMN feed_offset BIGINT;
CREATE INDEX webhook_event_account_feed ON webhook_event (account_id, feed_ts, feed_topic, feed_partition, feed_offset)
    WHERE feed_ts IS NOT NULL;
