package io.cloudnexus.eventstore;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

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
public record StoredEvent(long globalSeq, String eventId, String accountId, String aggregateType, String aggregateId,
        int version, String type, JsonNode data, Instant occurredAt) {
}
