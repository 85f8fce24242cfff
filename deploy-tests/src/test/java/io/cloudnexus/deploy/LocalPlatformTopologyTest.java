package io.cloudnexus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.cloudnexus.launcher.Topology;
import io.cloudnexus.launcher.Topology.Service;

/**
 * The local platform's one definition ({@link Topology}: what {@code ./run-platform.sh} starts and the e2e tests
 * run) holds what docker-compose.yml, deploy/k8s and the services' own configuration hold: the same services,
 * ports, databases and topics, and only properties the services read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalPlatformTopologyTest {

    private final Repository repository = Repository.current();
    private final Map<String, ServiceConfiguration> services = new LinkedHashMap<>();

    @BeforeAll
    void read() {
        for (String module : repository.serviceModules()) {
            services.put(module, ServiceConfiguration.of(repository, module));
        }
    }

    @Test
    void theServicesAreTheDeployedServices() {
        assertThat(Topology.SERVICES.stream().map(Service::module))
                .containsExactlyInAnyOrderElementsOf(services.keySet());
        assertThat(Topology.SERVICES.get(Topology.SERVICES.size() - 1))
                .as("the gateway starts last")
                .isEqualTo(Topology.GATEWAY);
        assertThat(Topology.BACKENDS)
                .containsExactlyInAnyOrderElementsOf(
                        Topology.SERVICES.stream().filter(s -> !s.isGateway()).toList());
    }

    @Test
    void portsAreTheServicesOwn() {
        for (Service s : Topology.SERVICES) {
            assertThat(services.get(s.module()).value("quarkus.http.port"))
                    .as(s.module())
                    .contains(Integer.toString(s.defaultPort()));
        }
    }

    @Test
    void databasesAreTheOnesComposeCreatesAndTheServicesName() {
        String sql = Repository.read(repository.resolve("deploy/docker/postgres/01-databases.sql"));
        Set<String> created = new TreeSet<>();
        Matcher create = Pattern.compile("(?i)CREATE DATABASE (\\w+)").matcher(sql);
        while (create.find()) {
            created.add(create.group(1));
        }
        for (Service s : Topology.SERVICES) {
            String database = s.database(Topology.DATABASE_PREFIX);
            assertThat(created).as("compose creates " + database).contains(database);
            assertThat(services.get(s.module())
                            .value("quarkus.datasource.jdbc.url")
                            .orElse(""))
                    .as(s.module() + " names " + database)
                    .endsWith("/" + database);
        }
    }

    @Test
    void topicsAreExactlyTheTopicsTheCodeUsesAndKubernetesCreates() {
        assertThat(new TreeSet<>(Topology.TOPICS)).isEqualTo(CodeTopics.names(services.values()));
        Set<String> k8s =
                Yaml.documents(Repository.read(repository.resolve("deploy/k8s/base/kafka-topics.yaml"))).stream()
                        .map(topic -> Yaml.string(topic, "spec.topicName"))
                        .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(Topology.TOPICS)).isEqualTo(k8s);
    }

    @Test
    void everyPropertyTheLauncherSetsIsOneTheServiceReads() {
        Map<Service, Integer> ports = new LinkedHashMap<>();
        Topology.SERVICES.forEach(s -> ports.put(s, s.defaultPort()));
        Topology.Wiring wiring = new Topology.Wiring(
                "127.0.0.1",
                ports,
                "127.0.0.1:9092",
                "127.0.0.1",
                5432,
                "postgres",
                "",
                Topology.DATABASE_PREFIX,
                Path.of("/k/public.pem"),
                Path.of("/k/private.pem"),
                Path.of("/demo.env"),
                Path.of("/webhook.key"));
        for (Service s : Topology.SERVICES) {
            ServiceConfiguration configuration = services.get(s.module());
            for (String property : Topology.properties(s, wiring).keySet()) {
                assertThat(configuration.readsEnv(ServiceConfiguration.envName(property))
                                || quarkusOwn(configuration, property))
                        .as(s.module() + " reads " + property)
                        .isTrue();
            }
        }
    }

    /**
     * A Quarkus property of an extension the service configures (e.g. {@code quarkus.http.host} next to its
     * {@code quarkus.http.port}): Quarkus reads it, though the service's sources do not name it.
     */
    private static boolean quarkusOwn(ServiceConfiguration configuration, String property) {
        String[] parts = property.split("\\.");
        if (!property.startsWith("quarkus.") || parts.length < 3) {
            return false;
        }
        String extension = parts[0] + "." + parts[1] + ".";
        return configuration.properties().stream().anyMatch(p -> p.startsWith(extension));
    }
}
