package io.cloudnexus.contracts;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of the event catalog.
 *
 * <p>{@link #schema()} and {@link #sample()} return fresh copies, so callers may modify what
 * they get without affecting the catalog.
 *
 * @param type        the event type, e.g. {@code server.provisioned}
 * @param category    the dashboard category: Compute, Storage, Security, Kubernetes, Billing, Webhooks
 * @param description one sentence for humans, as shown in the dashboard and docs
 * @param topic       the Kafka topic the producing service publishes it to (see {@link Topics})
 * @param schema      the JSON Schema (draft 2020-12) of the event's {@code data} object
 * @param sample      a sample {@code data} object, valid against the schema
 */
public record EventTypeDefinition(
        String type, String category, String description, String topic, JsonNode schema, JsonNode sample) {

    /** Checks that no component is missing. */
    public EventTypeDefinition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(topic, "topic");
        schema = Objects.requireNonNull(schema, "schema").deepCopy();
        sample = Objects.requireNonNull(sample, "sample").deepCopy();
    }

    /** A copy of the JSON Schema of {@code data}. */
    @Override
    public JsonNode schema() {
        return schema.deepCopy();
    }

    /** A copy of the sample {@code data} object. */
    @Override
    public JsonNode sample() {
        return sample.deepCopy();
    }
}
