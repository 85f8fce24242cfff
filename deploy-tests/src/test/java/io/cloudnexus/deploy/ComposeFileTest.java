package io.cloudnexus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
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

/**
 * docker-compose.yml parses ({@code docker-compose config}) and holds the same invariants as the
 * Kubernetes manifests: environment matching each service's configuration, pinned images, health
 * checks and healthy dependencies, only the gateway on a host port, the code's topics and databases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeFileTest {

    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^:/]+)(?::\\d+)?/(\\w+)");
    private static final Pattern HOST = Pattern.compile("(?:^|//|@)([a-z][a-z0-9-]*):\\d+");

    private final Repository repository = Repository.current();
    private final Map<String, ServiceConfiguration> services = new LinkedHashMap<>();
    private Map<String, Object> compose;

    @BeforeAll
    void parse() {
        compose = Yaml.documents(Tool.composeConfig(repository.resolve("docker-compose.yml")))
                .get(0);
        for (String module : repository.serviceModules()) {
            services.put(module, ServiceConfiguration.of(repository, module));
        }
    }

    private Map<String, Object> service(String name) {
        Map<String, Object> service = Yaml.map(compose, "services." + name);
        assertThat(service).as("compose service " + name).isNotEmpty();
        return service;
    }

    private Map<String, String> environment(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        Yaml.map(service(name), "environment").forEach((k, v) -> env.put(k, v == null ? "" : String.valueOf(v)));
        return env;
    }

    private int port(String module) {
        return Integer.parseInt(services.get(module).value("quarkus.http.port").orElseThrow());
    }

    @Test
    void everyServiceIsBuiltFromItsDockerfileWithAPinnedTagAndHealthCheck() {
        for (String module : services.keySet()) {
            Map<String, Object> service = service(module);
            assertThat(WorkloadRules.image(module, Yaml.string(service, "image")))
                    .isEmpty();
            assertThat(Yaml.string(service, "build.context"))
                    .as(module + " build context")
                    .endsWith("/" + module);
            assertThat(repository.resolve(module).resolve(Yaml.string(service, "build.dockerfile")))
                    .isRegularFile();
            assertThat(String.join(
                            " ",
                            Yaml.list(service, "healthcheck.test").stream()
                                    .map(String::valueOf)
                                    .toList()))
                    .as(module + " health check")
                    .contains("/q/health/ready")
                    .contains(":" + port(module) + "/");
        }
        Map<String, Object> all = Yaml.map(compose, "services");
        for (String name : all.keySet()) {
            assertThat(WorkloadRules.image(name, Yaml.string(all.get(name), "image")))
                    .as("pinned image")
                    .isEmpty();
        }
    }

    @Test
    void everyEnvironmentVariableConfiguresAPropertyTheServiceReads() {
        for (String module : services.keySet()) {
            assertThat(services.get(module).unknownEnv(environment(module).keySet()))
                    .as(module + ": environment variables matching no property it reads")
                    .isEmpty();
        }
    }

    @Test
    void onlyTheGatewayIsPublishedOnAHostPort() {
        Map<String, Object> all = Yaml.map(compose, "services");
        Set<String> published = all.keySet().stream()
                .filter(name -> !Yaml.list(all.get(name), "ports").isEmpty())
                .collect(Collectors.toSet());
        assertThat(published).containsExactly("api-gateway");
        assertThat(Yaml.maps(service("api-gateway"), "ports"))
                .allSatisfy(p -> assertThat(p.get("target")).isEqualTo(port("api-gateway")));
    }

    @Test
    void servicesStartAfterWhatTheyUseIsHealthy() {
        Map<String, Object> all = Yaml.map(compose, "services");
        for (String name : all.keySet()) {
            Yaml.map(all.get(name), "depends_on").forEach((dependency, how) -> {
                String condition = Yaml.string(how, "condition");
                assertThat(condition)
                        .as(name + " -> " + dependency)
                        .isIn("service_healthy", "service_completed_successfully");
                if ("service_healthy".equals(condition)) {
                    assertThat(Yaml.map(all.get(dependency), "healthcheck"))
                            .as(dependency + " has a health check")
                            .isNotEmpty();
                }
            });
        }
        for (String module : services.keySet()) {
            Set<String> reachable = dependencies(all, module);
            for (String value : environment(module).values()) {
                Matcher host = HOST.matcher(value);
                while (host.find()) {
                    String used = host.group(1);
                    if (all.containsKey(used)) {
                        assertThat(reachable)
                                .as(module + " uses " + used + " (" + value + ")")
                                .contains(used);
                    }
                }
            }
        }
    }

    private static Set<String> dependencies(Map<String, Object> all, String from) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo =
                new ArrayDeque<>(Yaml.map(all.get(from), "depends_on").keySet());
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(Yaml.map(all.get(next), "depends_on").keySet());
            }
        }
        return seen;
    }

    @Test
    void kafkaTopicsAreExactlyTheTopicsTheCodeUses() {
        String declared = environment("kafka-topics").get("CN_TOPICS");
        Set<String> names = Arrays.stream(declared.trim().split("\\s+"))
                .map(entry -> entry.substring(0, entry.indexOf(':')))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(names).isEqualTo(CodeTopics.names(services.values()));
        // the same partitions as in Kubernetes (keys map to partitions the same way everywhere)
        Map<String, Object> partitions = new LinkedHashMap<>();
        for (Map<String, Object> topic :
                Yaml.documents(Repository.read(repository.resolve("deploy/k8s/base/kafka-topics.yaml")))) {
            partitions.put(Yaml.string(topic, "spec.topicName") + ":" + Yaml.at(topic, "spec.partitions"), true);
        }
        assertThat(partitions.keySet())
                .containsExactlyInAnyOrder(declared.trim().split("\\s+"));
    }

    @Test
    void databasesAreCreatedForEveryService() {
        String sql = Repository.read(repository.resolve("deploy/docker/postgres/01-databases.sql"));
        Set<String> created = new TreeSet<>();
        Matcher create = Pattern.compile("(?i)CREATE DATABASE (\\w+)").matcher(sql);
        while (create.find()) {
            created.add(create.group(1));
        }
        for (String module : services.keySet()) {
            Matcher jdbc = JDBC.matcher(environment(module).getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", ""));
            assertThat(jdbc.matches())
                    .as(module + " QUARKUS_DATASOURCE_JDBC_URL")
                    .isTrue();
            assertThat(created).contains(jdbc.group(2));
            assertThat(services.get(module).value("quarkus.datasource.jdbc.url").orElse(""))
                    .as(module + " uses the database named in its application.properties")
                    .endsWith("/" + jdbc.group(2));
        }
    }

    @Test
    void requiredSettingsAreSetAndFileLocationsAreMounted() {
        for (String module : services.keySet()) {
            Map<String, String> env = environment(module);
            for (String property : services.get(module).requiredWithoutValue()) {
                assertThat(env)
                        .as(module + " sets the required " + property)
                        .containsKey(ServiceConfiguration.envName(property));
            }
            Set<String> mounts = Yaml.list(service(module), "volumes").stream()
                    .map(v -> v instanceof Map<?, ?>
                            ? Yaml.string(v, "target")
                            : String.valueOf(v).split(":")[1])
                    .collect(Collectors.toSet());
            env.forEach((name, value) -> {
                String path = value.startsWith("file:") ? value.substring(5) : name.endsWith("_FILE") ? value : null;
                if (path != null) {
                    assertThat(mounts)
                            .as(module + ": " + name + "=" + value + " lies in a mounted volume")
                            .contains(path.substring(0, path.lastIndexOf('/')));
                }
            });
        }
    }

    @Test
    void identityKeysComeFromTheInitStepNotTheRepository() {
        assertThat(environment("api-gateway").get("CLOUDNEXUS_IDENTITY_SIGNING_KEY_LOCATION"))
                .startsWith("file:/keys/private/");
        for (String module : services.keySet()) {
            if (!module.equals("api-gateway")) {
                assertThat(environment(module).get("CLOUDNEXUS_IDENTITY_PUBLIC_KEY_LOCATION"))
                        .as(module)
                        .startsWith("file:/keys/public/");
                assertThat(Yaml.list(service(module), "volumes").toString())
                        .as(module + " sees no private key")
                        .doesNotContain("identity-private");
            }
        }
        assertThat(repository.resolve("deploy/docker/keys")).isDirectoryNotContaining("glob:**.pem");
    }
}
