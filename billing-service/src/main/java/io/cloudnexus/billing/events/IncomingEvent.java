package io.cloudnexus.billing.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.common.rest.SafeText;
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

    /**
     * Parses a record; throws IllegalArgumentException if a required header or the JSON value is missing or bad,
     * or if a header or a string of the value holds text no table can store ({@link SafeText}): such a record
     * would otherwise fail its transaction on every retry and stall the partition.
     */
    public static IncomingEvent of(ConsumerRecord<String, byte[]> record) {
        String time = header(record, CloudEventHeaders.TIME);
        try {
            JsonNode data = record.value() == null ? null : CanonicalJson.parse(record.value());
            if (data == null || !data.isObject()) {
                throw new IllegalArgumentException("the record value is not a JSON object");
            }
            requireSafe(data, "the record value");
            return new IncomingEvent(
                    header(record, CloudEventHeaders.ID),
                    header(record, CloudEventHeaders.TYPE),
                    header(record, CloudEventHeaders.ACCOUNT_ID),
                    Instant.parse(time),
                    data);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad ce_time " + SafeText.forLog(time), e);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        if (h == null || h.value() == null || h.value().length == 0) {
            throw new IllegalArgumentException("missing header " + name);
        }
        String value = new String(h.value(), StandardCharsets.UTF_8);
        if (!SafeText.isSafe(value)) {
            throw new IllegalArgumentException(
                    "header " + name + " holds control characters: " + SafeText.forLog(value));
        }
        return value;
    }

    private static void requireSafe(JsonNode node, String where) {
        if (node.isTextual() && !SafeText.isSafe(node.textValue())) {
            throw new IllegalArgumentException(
                    where + " holds control characters: " + SafeText.forLog(node.textValue()));
        }
        for (var it = node.fields(); it.hasNext(); ) {
            var field = it.next();
            if (!SafeText.isSafe(field.getKey())) {
                throw new IllegalArgumentException(where + " has a field name with control characters");
            }
            requireSafe(field.getValue(), where);
        }
        if (node.isArray()) {
            node.forEach(element -> requireSafe(element, where));
        }
    }
}
