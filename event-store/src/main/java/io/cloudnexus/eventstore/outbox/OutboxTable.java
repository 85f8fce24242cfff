package io.cloudnexus.eventstore.outbox;

import java.util.regex.Pattern;

/**
 * The table an {@link OutboxRelay} publishes: unpublished rows are those with {@code published_at IS NULL}, taken in
 * the order of {@code sequenceColumn}; every row has {@code event_id}, {@code account_id}, {@code type}, {@code data}
 * (jsonb or JSON text), {@code occurred_at}, {@code traceparent} (nullable TEXT: the W3C trace context of the
 * transaction that wrote the row, docs/tracing.md) and the record key in {@code subjectColumn}.
 *
 * @param name the table, e.g. {@code event_store} or webhook-service's {@code webhook_outbox}
 * @param sequenceColumn the publishing order (a {@code BIGSERIAL}/identity column)
 * @param subjectColumn the record key and {@code ce_subject} (the aggregate id)
 */
public record OutboxTable(String name, String sequenceColumn, String subjectColumn) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*"); // before EVENT_STORE uses it
    static final String EVENT_STORE_NAME = "event_store";
    static final String EVENT_STORE_SEQUENCE = "global_seq";
    static final String EVENT_STORE_SUBJECT = "aggregate_id";

    /** The event-sourced services' {@code event_store} (this library's migration). */
    public static final OutboxTable EVENT_STORE =
            new OutboxTable(EVENT_STORE_NAME, EVENT_STORE_SEQUENCE, EVENT_STORE_SUBJECT);

    public OutboxTable {
        for (String identifier : new String[] {name, sequenceColumn, subjectColumn}) {
            if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
                throw new IllegalArgumentException("not a plain SQL identifier: " + identifier);
            }
        }
    }

    String selectUnpublished() {
        return "SELECT " + sequenceColumn + ", event_id, account_id, " + subjectColumn
                + ", type, data::text, occurred_at, traceparent FROM " + name + " WHERE published_at IS NULL ORDER BY "
                + sequenceColumn + " LIMIT ?";
    }

    String markPublished() {
        return "UPDATE " + name + " SET published_at = now() WHERE " + sequenceColumn + " = ANY(?)";
    }
}
