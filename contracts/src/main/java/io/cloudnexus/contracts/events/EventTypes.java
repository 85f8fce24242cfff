package io.cloudnexus.contracts.events;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.cloudnexus.contracts.CanonicalJson;

/**
 * The registry of event records: which {@link EventData} record carries which catalogued type, and the one place
 * that converts between records and JSON trees.
 *
 * <p>Reading is strict: an unknown property, a missing required one, a null for a number or an unknown enum
 * value is an {@link IllegalArgumentException}, never a silent default. Writing produces the tree the catalog
 * schema describes (write it as bytes with {@link CanonicalJson#toBytes}).
 */
public final class EventTypes {

    private static final ObjectMapper MAPPER = CanonicalJson.mapper()
            .copy()
            .registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);

    /** type -> record, from the records' {@code TYPE} constants, in the order {@link EventData} permits them. */
    private static final Map<String, Class<? extends EventData>> RECORDS = records();

    private EventTypes() {}

    /** Every catalogued type and its record. */
    public static Map<String, Class<? extends EventData>> all() {
        return RECORDS;
    }

    /** The record of {@code type}; IllegalArgumentException if no record carries it. */
    public static Class<? extends EventData> recordFor(String type) {
        Class<? extends EventData> record = RECORDS.get(type);
        if (record == null) {
            throw new IllegalArgumentException("No event record for type " + type);
        }
        return record;
    }

    /** Whether a record carries {@code type}. */
    public static boolean isKnown(String type) {
        return RECORDS.containsKey(type);
    }

    /** The type a record carries. */
    public static String typeOf(Class<? extends EventData> record) {
        return RECORDS.entrySet().stream()
                .filter(e -> e.getValue() == record)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Not an event record: " + record));
    }

    /** The record of an event's {@code data} object of {@code type}. */
    public static EventData read(String type, JsonNode data) {
        return read(data, recordFor(type));
    }

    /** The record of a {@code data} object known to be of {@code record}'s type. */
    public static <T extends EventData> T read(JsonNode data, Class<T> record) {
        Objects.requireNonNull(data, "data");
        try {
            return MAPPER.treeToValue(data, record);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Not a " + typeOf(record) + " data object: "
                            + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
                    e);
        }
    }

    /** The record of UTF-8 JSON bytes of {@code type} (e.g. a Kafka record value). */
    public static EventData read(String type, byte[] json) {
        return read(type, CanonicalJson.parse(json));
    }

    /** The {@code data} object of a record, as the catalog schema of its type describes it. */
    public static JsonNode toJson(EventData data) {
        return MAPPER.valueToTree(data);
    }

    /** The mapper records are read and written with (strict; do not reconfigure it). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Class<? extends EventData>> records() {
        Map<String, Class<? extends EventData>> records = new LinkedHashMap<>();
        Arrays.stream(EventData.class.getPermittedSubclasses()).forEach(c -> {
            try {
                records.put((String) c.getField("TYPE").get(null), (Class<? extends EventData>) c);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(c + " has no public TYPE constant", e);
            }
        });
        return java.util.Collections.unmodifiableMap(records);
    }
}
