-- Tracing (docs/tracing.md): the W3C traceparent of the request that appended the event (NULL when it was not
-- traced, always with tracing off). The outbox relay continues that trace and puts it in the Kafka record headers.
-- The event_store table comes from event-store's V1 (location db/event-store); every service using it adds this.
ALTER TABLE event_store ADD COLUMN traceparent TEXT;
