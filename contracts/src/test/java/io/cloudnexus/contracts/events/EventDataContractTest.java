package io.cloudnexus.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.contracts.EventTypeDefinition;

/**
 * The records and the catalog are one contract: every catalogued type has exactly one record and every record a
 * catalogued type; each record's properties (JSON names, required-ness, JSON types, nullability, enum values,
 * nested objects and arrays) equal its schema's; each sample reads into its record and writes back to equal JSON
 * that validates against the schema.
 */
class EventDataContractTest {

    private static final EventCatalog CATALOG = EventCatalog.load();

    static Stream<EventTypeDefinition> definitions() {
        return CATALOG.all().stream();
    }

    @Test
    void everyCataloguedTypeHasOneRecordAndEveryRecordACataloguedType() {
        assertThat(EventTypes.all().keySet()).containsExactlyInAnyOrderElementsOf(CATALOG.types());
        assertThat(EventTypes.all().values())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(EventData.class.getPermittedSubclasses())
                        .map(c -> c.asSubclass(EventData.class))
                        .toList());
        EventTypes.all()
                .forEach((type, record) -> assertThat(EventTypes.typeOf(record)).isEqualTo(type));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void recordMatchesItsSchema(EventTypeDefinition d) {
        JavaType type = EventTypes.mapper().constructType(EventTypes.recordFor(d.type()));
        assertThat(describe(type, d.type())).isEqualTo(describe(d.schema(), d.type()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void sampleReadsIntoItsRecordAndWritesBackEqualAndValid(EventTypeDefinition d) {
        EventData record = EventTypes.read(d.type(), d.sample());
        assertThat(record).isInstanceOf(EventTypes.recordFor(d.type()));
        assertThat(record.type()).isEqualTo(d.type());
        JsonNode written = EventTypes.toJson(record);
        assertThat(CanonicalJson.toJson(written))
                .isEqualTo(CanonicalJson.toJson(d.sample())); // wire bytes (int vs long nodes aside)
        assertThat(CATALOG.validate(d.type(), written)).isEmpty();
        assertThat(EventTypes.read(d.type(), CanonicalJson.toBytes(written))).isEqualTo(record);
    }

    @Test
    void aMisspelledOrMissingPropertyIsRefusedNotDefaulted() {
        ObjectNode misspelled =
                (ObjectNode) CATALOG.get(ServerScaled.TYPE).sample().deepCopy();
        misspelled.set("plann", misspelled.remove("plan"));
        assertThatThrownBy(() -> EventTypes.read(ServerScaled.TYPE, misspelled))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server.scaled");
        ObjectNode missingCount =
                (ObjectNode) CATALOG.get(ClusterScaled.TYPE).sample().deepCopy();
        missingCount.remove("count");
        assertThatThrownBy(() -> EventTypes.read(ClusterScaled.TYPE, missingCount))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count");
        ObjectNode badEnum =
                (ObjectNode) CATALOG.get(ServerTerminated.TYPE).sample().deepCopy();
        badEnum.put("status", "gone");
        assertThatThrownBy(() -> EventTypes.read(ServerTerminated.TYPE, badEnum))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventTypes.recordFor("server.exploded")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionalPropertiesAreLeftOutWhenNullAndRequiredNullableOnesWrittenAsNull() {
        JsonNode json = EventTypes.toJson(ServerCreated.provisioning("srv_1", null, "us-east-1", null, null));
        assertThat(CanonicalJson.toJson(json))
                .isEqualTo(
                        "{\"server_id\":\"srv_1\",\"region\":\"us-east-1\",\"status\":\"provisioning\",\"ip\":null}");
        assertThat(CATALOG.validate(ServerCreated.TYPE, json)).isEmpty();
    }

    // ---- the comparable description of a schema and of a record: property -> "types [enum] required" ----

    private static Map<String, String> describe(JsonNode schema, String where) {
        Map<String, String> properties = new TreeMap<>();
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        assertThat(schema.path("additionalProperties").asBoolean(true))
                .as(where + " closed")
                .isFalse();
        schema.path("properties")
                .fields()
                .forEachRemaining(p -> properties.put(
                        p.getKey(),
                        shape(p.getValue(), where + "." + p.getKey())
                                + (required.contains(p.getKey()) ? " required" : "")));
        return properties;
    }

    private static String shape(JsonNode property, String where) {
        List<JsonNode> alternatives = new ArrayList<>();
        if (property.has("anyOf")) {
            property.get("anyOf").forEach(alternatives::add);
        } else {
            alternatives.add(property);
        }
        Set<String> shapes = new LinkedHashSet<>();
        for (JsonNode a : alternatives) {
            String type = a.path("type").asText();
            String format = a.path("format").asText("");
            switch (type) {
                case "object" -> shapes.add("object" + describe(a, where));
                case "array" -> shapes.add("array of " + shape(a.get("items"), where + "[]"));
                case "string" ->
                    shapes.add(
                            a.has("enum")
                                    ? "enum" + sorted(a.get("enum"))
                                    : format.equals("date") || format.equals("date-time")
                                            ? "string:" + format
                                            : "string");
                default -> shapes.add(type);
            }
        }
        // ipv4 | ipv6 both read as "string"
        return String.join("|", new java.util.TreeSet<>(shapes));
    }

    private static Map<String, String> describe(JavaType type, String where) {
        BeanDescription bean = EventTypes.mapper().getDeserializationConfig().introspect(type);
        BeanDescription written = EventTypes.mapper().getSerializationConfig().introspect(type);
        Map<String, String> properties = new TreeMap<>();
        for (BeanPropertyDefinition p : bean.findProperties()) {
            boolean required = p.getMetadata().isRequired();
            JsonInclude.Include inclusion = written.findProperties().stream()
                    .filter(w -> w.getName().equals(p.getName()))
                    .findFirst()
                    .orElseThrow()
                    .findInclusion()
                    .getValueInclusion();
            assertThat(required || inclusion == JsonInclude.Include.NON_NULL)
                    .as(where + "." + p.getName() + ": an optional property must be left out when null")
                    .isTrue();
            JavaType t = p.getPrimaryType();
            String shape = shape(t, where + "." + p.getName());
            if (!t.isPrimitive() && required && isNullable(p)) {
                shape = new java.util.TreeSet<>(List.of(shape, "null"))
                        .stream().reduce((a, b) -> a + "|" + b).orElseThrow();
            }
            properties.put(p.getName(), shape + (required ? " required" : ""));
        }
        return properties;
    }

    /** Required properties whose schema allows null are those of the records below (the rest must not be null). */
    private static boolean isNullable(BeanPropertyDefinition p) {
        String owner = p.getPrimaryMember().getDeclaringClass().getSimpleName();
        return NULLABLE.contains(owner + "." + p.getName());
    }

    /** The required-but-nullable properties: declared here, checked against the schemas by the test above. */
    private static final Set<String> NULLABLE = Set.of("ServerCreated.ip", "WebhookEndpointDisabled.failing_since");

    private static String shape(JavaType t, String where) {
        Class<?> c = t.getRawClass();
        if (c == String.class) {
            return "string";
        }
        if (c == int.class || c == long.class || c == Integer.class || c == Long.class) {
            return "integer";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "boolean";
        }
        if (c == LocalDate.class) {
            return "string:date";
        }
        if (c == Instant.class) {
            return "string:date-time";
        }
        if (c.isEnum()) {
            List<String> values = Arrays.stream(c.getEnumConstants())
                    .map(v -> EventTypes.mapper().valueToTree(v).asText())
                    .sorted()
                    .toList();
            return "enum" + values;
        }
        if (t.isCollectionLikeType()) {
            return "array of " + shape(t.getContentType(), where + "[]");
        }
        if (c.isRecord()) {
            return "object" + describe(t, where);
        }
        throw new AssertionError(where + ": no JSON Schema type for " + t);
    }

    private static List<String> sorted(JsonNode values) {
        List<String> list = new ArrayList<>();
        values.forEach(v -> list.add(v.asText()));
        return list.stream().sorted().toList();
    }
}
