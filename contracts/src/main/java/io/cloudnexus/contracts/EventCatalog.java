package io.cloudnexus.contracts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;

/**
 * The event catalog: every event type CloudNexus emits, with its category, description, Kafka
 * topic, the JSON Schema (draft 2020-12) of its {@code data} object and a sample payload.
 *
 * <p>The catalog is data: {@code cloudnexus/catalog/catalog.json} on the classpath indexes one
 * schema and one sample file per type (see the module README). {@link #load()} reads it once per
 * class loader, compiles the schemas and checks every sample against its schema, so a broken
 * catalog fails at the first use rather than at the first event. Instances are immutable and
 * thread-safe.
 */
public final class EventCatalog {

    /** Classpath folder of the catalog resources. */
    public static final String RESOURCE_ROOT = "cloudnexus/catalog/";

    private static volatile EventCatalog instance;

    private final Map<String, EventTypeDefinition> definitions;
    private final Map<String, JsonSchema> schemas;
    private final List<EventTypeDefinition> all;

    private EventCatalog(CatalogLoader.Loaded loaded) {
        this.definitions = loaded.definitions();
        this.schemas = loaded.schemas();
        this.all = List.copyOf(definitions.values());
    }

    /**
     * The catalog, loaded from the classpath on first call and shared afterwards.
     *
     * @throws IllegalStateException if the catalog resources are missing or inconsistent
     */
    public static EventCatalog load() {
        EventCatalog catalog = instance;
        if (catalog == null) {
            synchronized (EventCatalog.class) {
                catalog = instance;
                if (catalog == null) {
                    catalog = new EventCatalog(CatalogLoader.load(RESOURCE_ROOT));
                    instance = catalog;
                }
            }
        }
        return catalog;
    }

    /** Every definition, in catalog order. */
    public List<EventTypeDefinition> all() {
        return all;
    }

    /** Every type name, in catalog order. */
    public List<String> types() {
        return all.stream().map(EventTypeDefinition::type).toList();
    }

    /** The definition of {@code type}, if catalogued. */
    public Optional<EventTypeDefinition> find(String type) {
        return Optional.ofNullable(type == null ? null : definitions.get(type));
    }

    /**
     * The definition of {@code type}.
     *
     * @throws NoSuchElementException if the type is not catalogued
     */
    public EventTypeDefinition get(String type) {
        return find(type).orElseThrow(() -> new NoSuchElementException("unknown event type: " + type));
    }

    /** Whether {@code type} is catalogued. */
    public boolean isKnown(String type) {
        return type != null && definitions.containsKey(type);
    }

    /**
     * Checks a {@code data} object against the schema of {@code type}.
     *
     * @return human-readable violations such as {@code "$: required property 'ip' not found"} or
     *     {@code "$.size_gb: string found, integer expected"};
     *     empty if valid. An unknown type or a missing (Java null) data yields one violation
     *     saying so.
     */
    public List<String> validate(String type, JsonNode data) {
        JsonSchema schema = type == null ? null : schemas.get(type);
        if (schema == null) {
            return List.of("unknown event type: " + type);
        }
        if (data == null) {
            return List.of("$: data is missing");
        }
        return violations(schema, data);
    }

    /** Shorthand for {@code validate(type, data).isEmpty()}. */
    public boolean isValid(String type, JsonNode data) {
        return validate(type, data).isEmpty();
    }

    /**
     * Whether a subscription filter selects an event type ({@code *}, an exact type, or a
     * {@code prefix.*} wildcard); see {@link EventFilters#matches}.
     */
    public static boolean matches(String filter, String type) {
        return EventFilters.matches(filter, type);
    }

    /**
     * Whether a subscription may use {@code filter}: {@code *}, a catalogued type, or a
     * well-formed {@code prefix.*} that matches at least one catalogued type.
     */
    public boolean isValidFilter(String filter) {
        if (!EventFilters.isWellFormed(filter)) {
            return false;
        }
        return EventFilters.ALL.equals(filter) || !typesMatching(filter).isEmpty();
    }

    /** The catalogued types a filter selects, in catalog order (empty for malformed filters). */
    public List<String> typesMatching(String filter) {
        return types().stream()
                .filter(type -> EventFilters.matches(filter, type))
                .toList();
    }

    static List<String> violations(JsonSchema schema, JsonNode data) {
        Set<ValidationMessage> messages = schema.validate(data);
        Set<String> texts = new LinkedHashSet<>();
        for (ValidationMessage message : messages) {
            texts.add(message.getMessage());
        }
        return List.copyOf(new ArrayList<>(texts));
    }
}
