package io.cloudnexus.webhook.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.EventIds;

/**
 * The one place a CloudEvents record (binary mode) becomes the public envelope bytes: what a webhook receiver
 * gets as its body, what the Events API returns and what a stream frame carries, byte for byte.
 */
public final class Envelopes {

    private Envelopes() {}

    /**
     * The envelope {@code {"event":..,"id":..,"timestamp":..,"data":..}} as canonical JSON: the record value is
     * re-canonicalised so the body survives {@code JSON.stringify(JSON.parse(body))} whatever the producer wrote.
     *
     * @throws IllegalArgumentException when the value is not a JSON object
     */
    public static byte[] of(String id, String type, Instant timestamp, byte[] value) {
        String data = CanonicalJson.toJson(CanonicalJson.parse(value));
        return EventEnvelope.toJson(type, id, timestamp, data).getBytes(StandardCharsets.UTF_8);
    }

    /** A CloudEvents header of a record (binary mode) as text, or null. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The envelope's timestamp: {@code ce_time}, else the time in the event id, else now. */
    public static Instant timestamp(String time, String id) {
        if (time != null) {
            try {
                return Instant.parse(time);
            } catch (RuntimeException e) {
                // fall through
            }
        }
        return EventIds.isValid(id) ? EventIds.timestampOf(id) : Instant.now();
    }
}
