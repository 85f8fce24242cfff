package io.cloudnexus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The environment check is strict: a misspelt variable in a Deployment, a ConfigMap or a compose
 * service fails it; the property set it checks against is derived from the services' sources.
 */
class EnvironmentCheckTest {

    private final Repository repository = Repository.current();

    private static String resource(String name) {
        return Repository.read(Path.of("src/test/resources/bad").resolve(name));
    }

    @Test
    void aMisspeltVariableInADeploymentOrItsConfigMapFails() {
        ServiceConfiguration webhook = ServiceConfiguration.of(repository, "webhook-service");
        Manifests bad = Manifests.parse("bad", resource("webhook-deployment-typos.yaml"));

        List<String> violations = WorkloadRules.environment(bad.get("Deployment", "webhook-service"), bad, webhook);

        assertThat(violations).hasSize(3);
        assertThat(violations)
                .anyMatch(v -> v.contains("CLOUDNEXUS_WEBHOOKS_OUTBOUND_ALLOW_HTTPS")) // env literal
                .anyMatch(v -> v.contains("KAFKA_BOOTSTRAP_SERVER ")) // ConfigMap key
                .anyMatch(v -> v.contains("CLOUDNEXUS_WEBHOOKS_SECRET_KEY is a secret")); // not from a Secret
    }

    @Test
    void theSameDeploymentWithCorrectNamesPasses() {
        ServiceConfiguration webhook = ServiceConfiguration.of(repository, "webhook-service");
        String fixed = resource("webhook-deployment-typos.yaml")
                .replace("ALLOW_HTTPS", "ALLOW_HTTP")
                .replace("KAFKA_BOOTSTRAP_SERVER:", "KAFKA_BOOTSTRAP_SERVERS:")
                .replace("value: inline-secret-key", "valueFrom: {secretKeyRef: {name: k, key: k}}");
        Manifests good = Manifests.parse("good", fixed);

        assertThat(WorkloadRules.environment(good.get("Deployment", "webhook-service"), good, webhook))
                .isEmpty();
    }

    @Test
    void aMisspeltVariableInAComposeServiceFails() {
        Map<String, Object> compose = Yaml.documents(
                        Tool.composeConfig(Path.of("src/test/resources/bad/docker-compose-typo.yml")
                                .toAbsolutePath()))
                .get(0);
        ServiceConfiguration gateway = ServiceConfiguration.of(repository, "api-gateway");
        Map<String, Object> env = Yaml.map(compose, "services.api-gateway.environment");

        assertThat(gateway.unknownEnv(env.keySet()))
                .containsExactly("CLOUDNEXUS_GATEWAY_ROUTE_COMPUTE", "KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void environmentNamesFollowMicroProfileConfig() {
        assertThat(ServiceConfiguration.envName("cloudnexus.webhooks.outbound.allow-http"))
                .isEqualTo("CLOUDNEXUS_WEBHOOKS_OUTBOUND_ALLOW_HTTP");
        assertThat(ServiceConfiguration.envName("quarkus.log.category.\"io.cloudnexus\".level"))
                .isEqualTo("QUARKUS_LOG_CATEGORY__IO_CLOUDNEXUS__LEVEL");
        assertThat(ConfigMappingScanner.kebab("maxInFlight")).isEqualTo("max-in-flight");
        assertThat(ConfigMappingScanner.kebab("responseExcerptBytes")).isEqualTo("response-excerpt-bytes");
    }

    @Test
    void propertiesComeFromPropertiesFilesExpressionsAndConfigMappings() {
        ServiceConfiguration compute = ServiceConfiguration.of(repository, "compute-service");
        assertThat(compute.properties())
                .contains("quarkus.datasource.jdbc.url") // application.properties
                .contains("mp.jwt.verify.publickey.location") // service-common's shared defaults
                .contains("cloudnexus.identity.public-key-location") // referenced by ${...} there
                .contains("cloudnexus.outbox.delivery-timeout") // event-store's @ConfigMapping
                .contains("cloudnexus.compute.provisioner.batch-size") // its own @ConfigMapping, default only
                .doesNotContain("cloudnexus.gateway.routes.compute");
        assertThat(compute.readsEnv("CLOUDNEXUS_OUTBOX_PRODUCER__COMPRESSION_TYPE_"))
                .as("Map member")
                .isTrue();

        ServiceConfiguration gateway = ServiceConfiguration.of(repository, "api-gateway");
        assertThat(gateway.readsEnv("CLOUDNEXUS_IDENTITY_SIGNING_KEY_LOCATION")).isTrue();
        assertThat(gateway.readsEnv("KAFKA_BOOTSTRAP_SERVERS"))
                .as("the gateway has no Kafka")
                .isFalse();

        ServiceConfiguration webhook = ServiceConfiguration.of(repository, "webhook-service");
        assertThat(webhook.properties())
                .contains(
                        "cloudnexus.webhooks.secret-key",
                        "cloudnexus.webhooks.consumer.enabled",
                        "cloudnexus.webhooks.outbound.max-connections-per-host",
                        "kafka.bootstrap.servers");
    }

    @Test
    void scannerReadsGroupsNamesMapsAndIgnoresLiteralsAndDefaultMethods() {
        String source = """
                package x;
                /** a { doc ; } */
                @ConfigMapping(prefix = "acme.shop")
                public interface ShopConfig {
                    @WithDefault("a{;}b") // not a member: { ;
                    String greetingText();
                    @WithName("max_items") int maxItems();
                    Map<String, String> extra();
                    Optional<Payment> payment();
                    @WithParentName Flat flat();
                    default String derived() { return "x;"; }
                    interface Payment {
                        Duration retryDelay();
                    }
                    interface Flat {
                        boolean enabled();
                    }
                }
                """;
        Set<String> properties = new TreeSet<>();
        Set<String> maps = new TreeSet<>();
        new ConfigMappingScanner(List.of(JavaSource.of("ShopConfig.java", source))).scan(properties, maps);

        assertThat(properties)
                .containsExactlyInAnyOrder(
                        "acme.shop.greeting-text",
                        "acme.shop.max_items",
                        "acme.shop.payment.retry-delay",
                        "acme.shop.enabled");
        assertThat(maps).containsExactly("acme.shop.extra");
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> fromFile = new TreeSet<>();
        ServiceConfiguration.readProperties("%test.a.b=1\nc.d=${e.f:2}\n", fromFile, values);
        assertThat(fromFile).containsExactlyInAnyOrder("a.b", "c.d", "e.f");
        assertThat(values).containsOnlyKeys("c.d");
    }
}
