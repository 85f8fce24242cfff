package io.cloudnexus.eventstore.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.eventstore.tracing.TraceParent;

/** Turns one outbox row into a Kafka record: CloudEvents binary mode, key = aggregate id, value = data. */
final class OutboxRecords {

    private OutboxRecords() {}

    /**
     * One unpublished row as the relay reads it; {@code dataText} is PostgreSQL's jsonb text, {@code traceparent}
     * the trace of the appending request (null when it was not traced).
     */
    record Row(
            long globalSeq,
            String eventId,
            String accountId,
            String aggregateId,
            String type,
            String dataText,
            Instant occurredAt,
            String traceparent) {}

    /**
     * The record of {@code row}; {@code traceparent} (the relay's publish span, or the row's own trace, or null)
     * becomes the W3C {@code traceparent} header.
     */
    static ProducerRecord<String, byte[]> toRecord(String topic, String source, Row row, String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, CloudEventHeaders.SPECVERSION, CloudEventHeaders.SPEC_VERSION);
        add(headers, CloudEventHeaders.ID, row.eventId());
        add(headers, CloudEventHeaders.TYPE, row.type());
        add(headers, CloudEventHeaders.SOURCE, source);
        add(headers, CloudEventHeaders.TIME, EventEnvelope.formatTimestamp(row.occurredAt()));
        add(headers, CloudEventHeaders.SUBJECT, row.aggregateId());
        add(headers, CloudEventHeaders.ACCOUNT_ID, row.accountId());
        add(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.CONTENT_TYPE_JSON);
        if (traceparent != null) {
            add(headers, TraceParent.HEADER, traceparent);
        }
        // jsonb text has spaces and jsonb's key order; the wire form is canonical JSON of that tree
        byte[] value = CanonicalJson.toBytes(CanonicalJson.parse(row.dataText()));
        return new ProducerRecord<>(topic, null, row.aggregateId(), value, headers);
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
