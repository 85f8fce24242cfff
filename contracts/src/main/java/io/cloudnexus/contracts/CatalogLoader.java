package io.cloudnexus.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

/** Reads and checks the catalog resources; every problem fails loading with a clear message. */
final class CatalogLoader {

    static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_PATH)
            .regularExpressionFactory(EcmaRegexFactory.INSTANCE)
            .build();

    /** What was loaded: definitions in catalog order, and the compiled schema of each type. */
    record Loaded(Map<String, EventTypeDefinition> definitions, Map<String, JsonSchema> schemas) {}

    private CatalogLoader() {}

    static Loaded load(String root) {
        JsonNode index = read(root + "catalog.json");
        JsonNode events = index.path("events");
        if (!events.isArray() || events.isEmpty()) {
            throw fail("catalog.json: 'events' must be a non-empty array");
        }
        Map<String, EventTypeDefinition> definitions = new LinkedHashMap<>();
        Map<String, JsonSchema> schemas = new LinkedHashMap<>();
        for (JsonNode entry : events) {
            String type = field(entry, "type", "?");
            if (!EventFilters.isWellFormedType(type)) {
                throw fail("malformed event type: " + type);
            }
            if (definitions.containsKey(type)) {
                throw fail("duplicate event type: " + type);
            }
            String topic = field(entry, "topic", type);
            if (!Topics.DOMAIN_TOPICS.contains(topic)) {
                throw fail(type + ": unknown topic " + topic);
            }
            JsonNode schemaNode = read(root + field(entry, "schema", type));
            if (!DRAFT_2020_12.equals(schemaNode.path("$schema").asText())) {
                throw fail(type + ": schema must declare \"$schema\": \"" + DRAFT_2020_12 + "\"");
            }
            JsonNode sample = read(root + field(entry, "sample", type));
            EventTypeDefinition definition = new EventTypeDefinition(
                    type, field(entry, "category", type), field(entry, "description", type), topic, schemaNode, sample);
            JsonSchema schema = compile(schemaNode);
            List<String> problems = EventCatalog.violations(schema, sample);
            if (!problems.isEmpty()) {
                throw fail(type + ": sample does not validate against its schema: " + problems);
            }
            definitions.put(type, definition);
            schemas.put(type, schema);
        }
        return new Loaded(Collections.unmodifiableMap(definitions), Collections.unmodifiableMap(schemas));
    }

    /** Compiles a draft 2020-12 schema: format assertions on, ECMA end anchors, paths like {@code $.ip}. */
    static JsonSchema compile(JsonNode schemaNode) {
        JsonSchema schema = FACTORY.getSchema(schemaNode, CONFIG);
        schema.initializeValidators();
        return schema;
    }

    private static String field(JsonNode entry, String name, String type) {
        JsonNode value = entry.get(name);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw fail("catalog entry " + type + ": missing '" + name + "'");
        }
        return value.textValue();
    }

    private static JsonNode read(String resource) {
        try (InputStream in = CatalogLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw fail("missing resource " + resource);
            }
            return CanonicalJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read catalog resource " + resource + ": " + e.getMessage(), e);
        }
    }

    private static IllegalStateException fail(String message) {
        return new IllegalStateException("event catalog: " + message);
    }
}
