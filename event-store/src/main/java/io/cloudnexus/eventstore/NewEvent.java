package io.cloudnexus.eventstore;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.events.EventData;
import io.cloudnexus.contracts.events.EventTypes;

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

    /** A new event of a record (its type and its data object), with a fresh id, happening now. */
    public static NewEvent of(EventData data) {
        return of(data, Instant.now());
    }

    /**
     * A new event of a record, with a fresh id, happening at {@code occurredAt}: the one place where a command's
     * record becomes the JSON the store validates and writes.
     */
    public static NewEvent of(EventData data, Instant occurredAt) {
        return new NewEvent(EventIds.newId(), data.type(), EventTypes.toJson(data), occurredAt);
    }

    /** The record of {@link #data()}. */
    public EventData payload() {
        return EventTypes.read(type, data);
    }

    /** The record of {@link #data()}, of an event known to be of {@code record}'s type. */
    public <T extends EventData> T payload(Class<T> record) {
        return EventTypes.read(data, record);
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
