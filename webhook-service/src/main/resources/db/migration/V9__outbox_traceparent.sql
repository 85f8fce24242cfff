-- Tracing (docs/tracing.md): event-store's outbox relay reads a traceparent column from every outbox table; the
-- W3C trace context of the transaction that wrote the row, NULL when it was not traced.
ALTER TABLE webhook_outbox ADD COLUMN traceparent TEXT;
