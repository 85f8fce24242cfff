package io.cloudnexus.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The public event envelope, exactly as a webhook receiver sees it:
 * <pre>{"event":"server.provisioned","id":"evt_...","timestamp":"2025-04-15T10:32:00Z","data":{...}}</pre>
 * Compact canonical JSON ({@link CanonicalJson}), keys in this order, timestamp in UTC with
 * second precision.
 *
 * @param event     the event type, e.g. {@code server.provisioned}
 * @param id        the event id ({@code evt_...}), the receivers' idempotency key
 * @param timestamp when the event occurred; truncated to whole seconds
 * @param data      the event's data object
 */
public record EventEnvelope(String event, String id, Instant timestamp, JsonNode data) {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern TIMESTAMP_TEXT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    private static final Set<String> KEYS = Set.of("event", "id", "timestamp", "data");

    /** Validates the components and truncates the timestamp to seconds. */
    public EventEnvelope {
        requireText(event, "event");
        requireText(id, "id");
        if (!id.startsWith(EventIds.PREFIX)) {
            throw new IllegalArgumentException("event id must start with " + EventIds.PREFIX + ": " + id);
        }
        timestamp = Objects.requireNonNull(timestamp, "timestamp").truncatedTo(ChronoUnit.SECONDS);
        if (data == null || !data.isObject()) {
            throw new IllegalArgumentException("data must be a JSON object");
        }
    }

    /** A new envelope for an event happening now, with a fresh {@link EventIds#newId() id}. */
    public static EventEnvelope create(String type, JsonNode data) {
        return new EventEnvelope(type, EventIds.newId(), Instant.now(), data);
    }

    /** The canonical wire form of this envelope. */
    public String toJson() {
        return toJson(event, id, timestamp, CanonicalJson.toJson(data));
    }

    /** UTF-8 bytes of {@link #toJson()}: the body that is signed and sent. */
    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The wire form from parts, splicing {@code rawCompactDataJson} in verbatim (no parsing: the
     * hot path of the delivery engine). The caller guarantees that it is canonical JSON of an
     * object, e.g. a Kafka record value written with {@link CanonicalJson}; only its first and
     * last characters are checked.
     */
    public static String toJson(String type, String id, Instant timestamp, String rawCompactDataJson) {
        requireObjectText(rawCompactDataJson);
        StringBuilder out = new StringBuilder(rawCompactDataJson.length() + type.length() + id.length() + 64);
        head(out, type, id, timestamp);
        return out.append(rawCompactDataJson).append('}').toString();
    }

    /** Like {@link #toJson(String, String, Instant, String)} on UTF-8 bytes, without decoding the data. */
    public static byte[] toJsonBytes(String type, String id, Instant timestamp, byte[] rawCompactDataJson) {
        if (rawCompactDataJson.length < 2
                || rawCompactDataJson[0] != '{'
                || rawCompactDataJson[rawCompactDataJson.length - 1] != '}') {
            throw new IllegalArgumentException("data must be the compact JSON text of an object");
        }
        StringBuilder out = new StringBuilder(type.length() + id.length() + 64);
        byte[] head = head(out, type, id, timestamp).toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + rawCompactDataJson.length + 1];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(rawCompactDataJson, 0, body, head.length, rawCompactDataJson.length);
        body[body.length - 1] = '}';
        return body;
    }

    /**
     * Parses an envelope: exactly the keys event, id, timestamp ({@code yyyy-MM-ddTHH:mm:ssZ}) and
     * data (an object), in any order.
     *
     * @throws IllegalArgumentException if the text is not such an envelope
     */
    public static EventEnvelope parse(String json) {
        JsonNode root = CanonicalJson.parse(json);
        if (!root.isObject()) {
            throw new IllegalArgumentException("envelope must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            if (!KEYS.contains(name)) {
                throw new IllegalArgumentException("unexpected envelope field: " + name);
            }
        }
        String timestamp = text(root, "timestamp");
        if (!TIMESTAMP_TEXT.matcher(timestamp).matches()) {
            throw new IllegalArgumentException("timestamp must look like 2025-04-15T10:32:00Z: " + timestamp);
        }
        Instant instant;
        try {
            instant = Instant.parse(timestamp);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid timestamp: " + timestamp, e);
        }
        return new EventEnvelope(text(root, "event"), text(root, "id"), instant, root.get("data"));
    }

    /** Formats an instant as the envelope does (UTC, truncated to seconds), e.g. for {@code ce_time}. */
    public static String formatTimestamp(Instant instant) {
        return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static StringBuilder head(StringBuilder out, String type, String id, Instant timestamp) {
        requireText(type, "event");
        requireText(id, "id");
        out.append("{\"event\":");
        CanonicalJson.appendString(out, type);
        out.append(",\"id\":");
        CanonicalJson.appendString(out, id);
        out.append(",\"timestamp\":\"").append(formatTimestamp(Objects.requireNonNull(timestamp, "timestamp")));
        return out.append("\",\"data\":");
    }

    private static void requireObjectText(String raw) {
        if (raw == null || raw.length() < 2 || raw.charAt(0) != '{' || raw.charAt(raw.length() - 1) != '}') {
            throw new IllegalArgumentException("data must be the compact JSON text of an object");
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("envelope field '" + field + "' must be a string");
        }
        return value.textValue();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
