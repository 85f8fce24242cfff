package io.cloudnexus.billing.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.CloudEventHeaders;

/**
 * A compute or cluster event as billing reads it from a CloudEvents binary-mode record.
 *
 * @param id {@code ce_id}, the deduplication key
 * @param type {@code ce_type}
 * @param accountId {@code ce_accountid}
 * @param time {@code ce_time}: usage is measured between these, never by the wall clock at consumption
 * @param data the record value
 */
public record IncomingEvent(String id, String type, String accountId, Instant time, JsonNode data) {

    /** Parses a record; throws IllegalArgumentException if a required header or the JSON value is missing or bad. */
    public static IncomingEvent of(ConsumerRecord<String, byte[]> record) {
        String time = header(record, CloudEventHeaders.TIME);
        try {
            JsonNode data = record.value() == null ? null : CanonicalJson.parse(record.value());
            if (data == null || !data.isObject()) {
                throw new IllegalArgumentException("the record value is not a JSON object");
            }
            return new IncomingEvent(header(record, CloudEventHeaders.ID), header(record, CloudEventHeaders.TYPE),
                    header(record, CloudEventHeaders.ACCOUNT_ID), Instant.parse(time), data);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad ce_time " + time, e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        if (h == null || h.value() == null || h.value().length == 0) {
            throw new IllegalArgumentException("missing header " + name);
        }
        return new String(h.value(), StandardCharsets.UTF_8);
    }
}
