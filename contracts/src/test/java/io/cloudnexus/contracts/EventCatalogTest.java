package io.cloudnexus.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class EventCatalogTest {

    private static final EventCatalog CATALOG = EventCatalog.load();

    /** type -> {category, topic}: the table of the brief and DESIGN.md. */
    private static final Map<String, List<String>> EXPECTED = Map.ofEntries(
            Map.entry("server.created", List.of("Compute", Topics.COMPUTE_EVENTS)),
            Map.entry("server.provisioned", List.of("Compute", Topics.COMPUTE_EVENTS)),
            Map.entry("server.scaled", List.of("Compute", Topics.COMPUTE_EVENTS)),
            Map.entry("server.renamed", List.of("Compute", Topics.COMPUTE_EVENTS)),
            Map.entry("server.terminated", List.of("Compute", Topics.COMPUTE_EVENTS)),
            Map.entry("backup.completed", List.of("Storage", Topics.COMPUTE_EVENTS)),
            Map.entry("firewall.updated", List.of("Security", Topics.COMPUTE_EVENTS)),
            Map.entry("security.threat.detected", List.of("Security", Topics.COMPUTE_EVENTS)),
            Map.entry("cluster.created", List.of("Kubernetes", Topics.CLUSTER_EVENTS)),
            Map.entry("cluster.node.joined", List.of("Kubernetes", Topics.CLUSTER_EVENTS)),
            Map.entry("cluster.scaled", List.of("Kubernetes", Topics.CLUSTER_EVENTS)),
            Map.entry("cluster.deleted", List.of("Kubernetes", Topics.CLUSTER_EVENTS)),
            Map.entry("deployment.started", List.of("Kubernetes", Topics.CLUSTER_EVENTS)),
            Map.entry("deployment.succeeded", List.of("Kubernetes", Topics.CLUSTER_EVENTS)),
            Map.entry("deployment.failed", List.of("Kubernetes", Topics.CLUSTER_EVENTS)),
            Map.entry("billing.invoice.finalized", List.of("Billing", Topics.BILLING_EVENTS)),
            Map.entry("webhook.endpoint.disabled", List.of("Webhooks", Topics.WEBHOOK_EVENTS)));

    static Stream<EventTypeDefinition> definitions() {
        return CATALOG.all().stream();
    }

    @Test
    void catalogHasExactlyTheExpectedTypesCategoriesAndTopics() {
        assertThat(CATALOG.types()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        for (EventTypeDefinition d : CATALOG.all()) {
            assertThat(List.of(d.category(), d.topic())).as(d.type()).isEqualTo(EXPECTED.get(d.type()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void everyTypeIsCompleteAndItsSampleValidates(EventTypeDefinition d) {
        assertThat(d.description()).isNotBlank().endsWith(".");
        assertThat(d.schema().path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(d.schema().path("type").asText()).isEqualTo("object");
        assertThat(d.schema().path("additionalProperties").isBoolean()).isTrue();
        assertThat(d.schema().path("additionalProperties").booleanValue()).isFalse();
        assertThat(d.schema().path("required").isArray()).isTrue();
        d.schema()
                .path("required")
                .forEach(r -> assertThat(d.schema().path("properties").has(r.asText()))
                        .isTrue());
        assertThat(d.sample().isObject()).isTrue();
        assertThat(CATALOG.validate(d.type(), d.sample())).isEmpty();
        assertThat(CATALOG.isKnown(d.type())).isTrue();
        assertThat(CATALOG.find(d.type())).contains(d);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void removingAnyRequiredFieldOrAddingAnUnknownOneIsRejected(EventTypeDefinition d) {
        for (JsonNode required : d.schema().path("required")) {
            ObjectNode data = (ObjectNode) d.sample();
            data.remove(required.asText());
            assertThat(CATALOG.validate(d.type(), data))
                    .as("without " + required)
                    .anySatisfy(v -> assertThat(v).contains(required.asText()));
        }
        ObjectNode extra = (ObjectNode) d.sample();
        extra.put("unexpected_field", 1);
        assertThat(CATALOG.validate(d.type(), extra))
                .anySatisfy(v -> assertThat(v).contains("unexpected_field"));
    }

    @Test
    void nestedObjectsAreClosedToo() {
        assertThat(CATALOG.get("firewall.updated")
                        .schema()
                        .at("/properties/rules/items/additionalProperties")
                        .booleanValue())
                .isFalse();
        assertThat(CATALOG.get("cluster.created")
                        .schema()
                        .at("/properties/node_pools/items/additionalProperties")
                        .booleanValue())
                .isFalse();
    }

    @Test
    void samplesAreCopiesSoCallersCannotCorruptTheCatalog() {
        ((ObjectNode) CATALOG.get("server.provisioned").sample()).put("ip", "corrupted");
        assertThat(CATALOG.get("server.provisioned").sample().path("ip").asText())
                .isEqualTo("192.168.1.45");
    }

    @Test
    void descriptionsFollowThePublicDocsWording() {
        assertThat(CATALOG.get("server.provisioned").description())
                .isEqualTo(
                        "Triggered when a new VPS or bare metal server finishes initialization and is ready for use.");
        assertThat(CATALOG.get("deployment.failed").description())
                .isEqualTo("Alerts when a deployment encounters a critical error or exceeds rollback thresholds.");
        assertThat(CATALOG.get("backup.completed").description())
                .isEqualTo("Successful completion of a scheduled or manual snapshot/backup operation.");
        assertThat(CATALOG.get("security.threat.detected").description())
                .isEqualTo("DDoS or intrusion attempt blocked.");
        assertThat(CATALOG.get("cluster.node.joined").description()).isEqualTo("New Kubernetes worker attached.");
        assertThat(CATALOG.get("billing.invoice.finalized").description()).isEqualTo("Monthly invoice is ready.");
    }

    @Test
    void everyResourceFileIsReferencedByTheIndex() throws URISyntaxException, java.io.IOException {
        Path root = Path.of(getClass()
                        .getClassLoader()
                        .getResource(EventCatalog.RESOURCE_ROOT + "catalog.json")
                        .toURI())
                .getParent();
        List<String> files = new ArrayList<>();
        for (String dir : List.of("schemas", "samples")) {
            try (Stream<Path> list = Files.list(root.resolve(dir))) {
                list.forEach(p -> files.add(dir + "/" + p.getFileName()));
            }
        }
        List<String> referenced = new ArrayList<>();
        CanonicalJson.parse(Files.readString(root.resolve("catalog.json")))
                .path("events")
                .forEach(e -> {
                    referenced.add(e.path("schema").asText());
                    referenced.add(e.path("sample").asText());
                });
        assertThat(files).containsExactlyInAnyOrderElementsOf(referenced);
    }

    @Test
    void unknownTypesAndMissingDataAreReported() {
        assertThat(CATALOG.isKnown("server.exploded")).isFalse();
        assertThat(CATALOG.isKnown(null)).isFalse();
        assertThat(CATALOG.find("server.exploded")).isEmpty();
        assertThatThrownBy(() -> CATALOG.get("server.exploded")).isInstanceOf(NoSuchElementException.class);
        assertThat(CATALOG.validate("server.exploded", CanonicalJson.parse("{}")))
                .containsExactly("unknown event type: server.exploded");
        assertThat(CATALOG.validate("server.terminated", null)).hasSize(1);
        assertThat(CATALOG.validate("server.terminated", CanonicalJson.parse("[]")))
                .isNotEmpty();
    }

    @Test
    void loadReturnsOneSharedInstance() {
        assertThat(EventCatalog.load()).isSameAs(CATALOG);
    }
}
