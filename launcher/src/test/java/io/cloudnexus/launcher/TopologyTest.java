package io.cloudnexus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The environment configures the wiring; every service gets its port, database and the others' addresses. */
class TopologyTest {

    private final Path root = Path.of("/repo");

    @Test
    void defaultsAreTheDocumentedOnes() {
        Settings settings = Settings.from(Map.of(), root);
        assertThat(settings.port(Topology.GATEWAY)).isEqualTo(8080);
        assertThat(settings.port(Topology.WEBHOOK)).isEqualTo(8084);
        assertThat(settings.kafkaBootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(settings.local()).isEqualTo(Path.of("/repo/.local"));
        assertThat(settings.databases())
                .containsExactly(
                        "cloudnexus_compute",
                        "cloudnexus_cluster",
                        "cloudnexus_billing",
                        "cloudnexus_webhook",
                        "cloudnexus_gateway");
        assertThat(settings.jvmOptions()).contains("-Xmx384m", "-XX:+ExitOnOutOfMemoryError");
        assertThat(settings.detach()).isFalse();
    }

    @Test
    void environmentVariablesOverrideEachSetting() {
        Settings settings = Settings.from(
                Map.of(
                        "CN_GATEWAY_PORT",
                        "18080",
                        "CN_COMPUTE_PORT",
                        "18081",
                        "CN_KAFKA_PORT",
                        "19092",
                        "CN_DB_PORT",
                        "15432",
                        "CN_DB_PREFIX",
                        "e2e_",
                        "CN_LOCAL_DIR",
                        "/tmp/cn",
                        "CN_GATEWAY_OPTS",
                        " -Da=1  -Db=2 ",
                        "CN_DETACH",
                        "1"),
                root);
        Map<String, String> gateway = Topology.properties(Topology.GATEWAY, settings.wiring());
        assertThat(gateway)
                .containsEntry("quarkus.http.port", "18080")
                .containsEntry("cloudnexus.gateway.routes.compute", "http://127.0.0.1:18081")
                .containsEntry("cloudnexus.gateway.routes.webhook", "http://127.0.0.1:8084")
                .containsEntry("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:15432/e2e_gateway")
                .containsEntry("cloudnexus.identity.signing-key-location", "file:/tmp/cn/keys/identity-private.pem")
                .containsEntry("cloudnexus.gateway.demo.credentials-file", "/tmp/cn/demo-credentials.env");
        assertThat(settings.serviceOptions().get(Topology.GATEWAY)).containsExactly("-Da=1", "-Db=2");
        assertThat(settings.detach()).isTrue();

        Map<String, String> compute = Topology.properties(Topology.COMPUTE, settings.wiring());
        assertThat(compute)
                .containsEntry("kafka.bootstrap.servers", "127.0.0.1:19092")
                .containsEntry("cloudnexus.identity.public-key-location", "file:/tmp/cn/keys/identity-public.pem")
                .doesNotContainKey("cloudnexus.identity.signing-key-location");
        assertThat(Topology.properties(Topology.WEBHOOK, settings.wiring()))
                .containsEntry("cloudnexus.webhooks.secret-key-file", "/tmp/cn/webhook-secret.key");
    }

    @Test
    void aPortThatIsNoNumberIsAClearError() {
        assertThatThrownBy(() -> Settings.from(Map.of("CN_KAFKA_PORT", "ninety"), root))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("CN_KAFKA_PORT");
    }
}
