package io.cloudnexus.eventstore;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.contracts.EventIds;

/**
 * An event a command decided to record, before it is appended.
 *
 * @param eventId the {@code evt_...} id (the consumers' idempotency key)
 * @param type a catalogued event type, e.g. {@code server.created}
 * @param data the event's {@code data} object; must validate against the catalog schema of {@code type}
 * @param occurredAt when it happened (microsecond precision, as PostgreSQL stores it)
 */
public record NewEvent(String eventId, String type, JsonNode data, Instant occurredAt) {

    public NewEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MICROS);
    }

    /** A new event with a fresh id, happening now. */
    public static NewEvent of(String type, JsonNode data) {
        return new NewEvent(EventIds.newId(), type, data, Instant.now());
    }

    /** A new event with a fresh id, happening at {@code occurredAt}. */
    public static NewEvent of(String type, JsonNode data, Instant occurredAt) {
        return new NewEvent(EventIds.newId(), type, data, occurredAt);
    }
}
