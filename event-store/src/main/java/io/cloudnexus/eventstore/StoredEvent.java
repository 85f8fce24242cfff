package io.cloudnexus.eventstore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.events.EventData;
import io.cloudnexus.contracts.events.EventTypes;

/**
 * One row of the event store.
 *
 * @param globalSeq position in the store (allocated at insert, so commit order may differ; see docs/event-store.md)
 * @param eventId the {@code evt_...} id
 * @param accountId the account owning the aggregate
 * @param aggregateType e.g. {@code server}
 * @param aggregateId e.g. {@code srv_...}; the Kafka record key and {@code ce_subject}
 * @param version 1, 2, 3... within the aggregate, without gaps
 * @param type the event type
 * @param data the event's {@code data} object
 * @param occurredAt when it happened
 */
public record StoredEvent(
        long globalSeq,
        String eventId,
        String accountId,
        String aggregateType,
        String aggregateId,
        int version,
        String type,
        JsonNode data,
        Instant occurredAt) {

    /** The record of {@link #data()}; IllegalArgumentException if the data does not fit the record of its type. */
    public EventData payload() {
        return EventTypes.read(type, data);
    }

    /** The record of {@link #data()}, of an event known to be of {@code record}'s type. */
    public <T extends EventData> T payload(Class<T> record) {
        return EventTypes.read(data, record);
    }

    /**
     * An aggregate's history as the store would load it (versions 1, 2, ...; global positions alike; every event at
     * {@code occurredAt}), without a database: what an aggregate is replayed from in a unit test.
     */
    public static List<StoredEvent> history(
            String accountId,
            String aggregateType,
            String aggregateId,
            Instant occurredAt,
            List<? extends EventData> events) {
        List<StoredEvent> history = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            EventData e = events.get(i);
            history.add(new StoredEvent(
                    i + 1,
                    EventIds.newId(),
                    accountId,
                    aggregateType,
                    aggregateId,
                    i + 1,
                    e.type(),
                    EventTypes.toJson(e),
                    occurredAt));
        }
        return history;
    }
}
