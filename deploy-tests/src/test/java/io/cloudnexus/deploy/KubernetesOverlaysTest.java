package io.cloudnexus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders deploy/k8s/overlays/{dev,prod} with {@code kubectl kustomize} and checks the invariants of
 * the rendered objects against the services' code and configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesOverlaysTest {

    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^:/]+)(?::\\d+)?/(\\w+)");

    private final Repository repository = Repository.current();
    private final Map<String, Manifests> overlays = new LinkedHashMap<>();
    private final Map<String, ServiceConfiguration> services = new LinkedHashMap<>();

    @BeforeAll
    void render() {
        for (String overlay : List.of("dev", "prod")) {
            overlays.put(
                    overlay,
                    Manifests.parse(overlay, Tool.kustomize(repository.resolve("deploy/k8s/overlays/" + overlay))));
        }
        for (String module : repository.serviceModules()) {
            services.put(module, ServiceConfiguration.of(repository, module));
        }
        assertThat(services).as("service modules of the parent pom").hasSizeGreaterThanOrEqualTo(5);
    }

    private int port(String module) {
        return Integer.parseInt(services.get(module)
                .value("quarkus.http.port")
                .orElseThrow(() -> new AssertionError(module + " has no quarkus.http.port")));
    }

    private Map<String, Object> podLabels(Manifests manifests, String module) {
        return Yaml.map(manifests.get("Deployment", module), "spec.template.metadata.labels");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceHasDeploymentServiceAndDisruptionBudget(String overlay) {
        Manifests m = overlays.get(overlay);
        assertThat(m.ofKind("Deployment"))
                .extracting(d -> Yaml.string(d, "metadata.name"))
                .containsAll(services.keySet());
        for (String module : services.keySet()) {
            Map<String, Object> labels = podLabels(m, module);
            Map<String, Object> service = m.get("Service", module);
            assertThat(labels.entrySet())
                    .as(module + " Service selector")
                    .containsAll(Yaml.map(service, "spec.selector").entrySet());
            assertThat(Yaml.maps(service, "spec.ports"))
                    .as(module + " Service port")
                    .anySatisfy(p -> assertThat(p.get("port")).isEqualTo(port(module)));
            assertThat(NetworkPolicies.selects(Yaml.map(m.get("PodDisruptionBudget", module), "spec.selector"), labels))
                    .as(module + " PodDisruptionBudget selects its pods")
                    .isTrue();
            assertThat(Yaml.string(m.get("Deployment", module), "metadata.namespace"))
                    .as("namespace")
                    .isEqualTo(overlay.equals("prod") ? "cloudnexus" : "cloudnexus-" + overlay);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void deploymentsHaveProbesResourcesNonRootAndPinnedImages(String overlay) {
        Manifests m = overlays.get(overlay);
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> deployment : m.ofKind("Deployment")) {
            String name = Yaml.string(deployment, "metadata.name");
            violations.addAll(WorkloadRules.workload(deployment, services.containsKey(name) ? port(name) : null));
        }
        assertThat(violations).isEmpty();
        for (Map<String, Object> cluster : m.ofKind("Cluster")) {
            assertThat(WorkloadRules.image("Cluster", Yaml.string(cluster, "spec.imageName")))
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyEnvironmentVariableConfiguresAPropertyTheServiceReads(String overlay) {
        Manifests m = overlays.get(overlay);
        List<String> violations = new ArrayList<>();
        for (String module : services.keySet()) {
            violations.addAll(WorkloadRules.environment(m.get("Deployment", module), m, services.get(module)));
        }
        assertThat(violations).isEmpty();
        assertThat(m.ofKind("Secret"))
                .as("no Secret (and no secret value) is committed")
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void requiredSettingsAreSetAndKeyFilesAreMounted(String overlay) {
        Manifests m = overlays.get(overlay);
        List<String> violations = new ArrayList<>();
        for (String module : services.keySet()) {
            Map<String, Object> deployment = m.get("Deployment", module);
            Set<String> names = new TreeSet<>(
                    WorkloadRules.literalEnvironment(deployment, m).keySet());
            for (Map<String, Object> env : Yaml.maps(
                    Yaml.maps(deployment, "spec.template.spec.containers").get(0), "env")) {
                names.add(String.valueOf(env.get("name")));
            }
            for (String property : services.get(module).requiredWithoutValue()) {
                if (!names.contains(ServiceConfiguration.envName(property))) {
                    violations.add(module + ": " + ServiceConfiguration.envName(property) + " is required and not set");
                }
            }
            violations.addAll(WorkloadRules.fileLocationsAreMounted(deployment, m));
        }
        assertThat(violations).isEmpty();
        assertThat(services.get("compute-service").requiredWithoutValue())
                .as("derived from the shared defaults")
                .contains("cloudnexus.identity.public-key-location");
        // not derivable from a ${...} reference: an Optional in WebhookConfig, generated into a file when unset
        Map<String, Object> webhook = Yaml.maps(m.get("Deployment", "webhook-service"), "spec.template.spec.containers")
                .get(0);
        assertThat(Yaml.maps(webhook, "env"))
                .as("the endpoint-secret encryption key comes from a Secret")
                .anySatisfy(env -> {
                    assertThat(env.get("name")).isEqualTo("CLOUDNEXUS_WEBHOOKS_SECRET_KEY");
                    assertThat(Yaml.at(env, "valueFrom.secretKeyRef.name")).isNotNull();
                });
        Map<String, String> gateway = WorkloadRules.literalEnvironment(m.get("Deployment", "api-gateway"), m);
        assertThat(gateway).containsKey("CLOUDNEXUS_IDENTITY_SIGNING_KEY_LOCATION");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void referencedSecretsAndKeyConfigMapAreCreatedByTheDocumentedScript(String overlay) {
        Manifests m = overlays.get(overlay);
        String script = Repository.read(repository.resolve("deploy/k8s/create-secrets.sh"));
        Set<String> external = new TreeSet<>();
        for (Map<String, Object> deployment : m.ofKind("Deployment")) {
            for (Map<String, Object> container : Yaml.maps(deployment, "spec.template.spec.containers")) {
                for (Map<String, Object> env : Yaml.maps(container, "env")) {
                    String secret = Yaml.string(env, "valueFrom.secretKeyRef.name");
                    if (secret != null) {
                        external.add(secret);
                    }
                }
            }
            for (Map<String, Object> volume : Yaml.maps(deployment, "spec.template.spec.volumes")) {
                String secret = Yaml.string(volume, "secret.secretName");
                String configMap = Yaml.string(volume, "configMap.name");
                if (secret != null) {
                    external.add(secret);
                }
                if (configMap != null && m.find("ConfigMap", configMap).isEmpty()) {
                    external.add(configMap);
                }
            }
        }
        for (Map<String, Object> cluster : m.ofKind("Cluster")) {
            external.add(Yaml.string(cluster, "spec.bootstrap.initdb.secret.name"));
            Yaml.maps(cluster, "spec.managed.roles").forEach(r -> external.add(Yaml.string(r, "passwordSecret.name")));
        }
        assertThat(external).isNotEmpty();
        assertThat(external)
                .allSatisfy(name -> assertThat(script)
                        .as("create-secrets.sh creates " + name)
                        .contains(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kafkaTopicsAreExactlyTheTopicsTheCodeUses(String overlay) {
        Manifests m = overlays.get(overlay);
        Set<String> expected = CodeTopics.names(services.values());
        Set<String> declared = m.ofKind("KafkaTopic").stream()
                .map(t -> Yaml.string(t, "spec.topicName"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(declared).as("KafkaTopic spec.topicName").isEqualTo(expected);
        for (Pattern pattern : CodeTopics.patterns(services.values())) {
            assertThat(declared)
                    .as("topics matching the subscription " + pattern)
                    .anyMatch(t -> pattern.matcher(t).matches());
        }
        Map<String, Object> kafka = m.ofKind("Kafka").get(0);
        assertThat(Yaml.map(kafka, "metadata.annotations"))
                .containsEntry("strimzi.io/kraft", "enabled")
                .containsEntry("strimzi.io/node-pools", "enabled");
        List<Map<String, Object>> pools = m.ofKind("KafkaNodePool");
        assertThat(pools).isNotEmpty();
        assertThat(pools).flatMap(p -> Yaml.list(p, "spec.roles")).contains("controller", "broker");
        int brokers = pools.stream()
                .filter(p -> Yaml.list(p, "spec.roles").contains("broker"))
                .mapToInt(p -> (Integer) Yaml.at(p, "spec.replicas"))
                .sum();
        for (Map<String, Object> topic : m.ofKind("KafkaTopic")) {
            String name = Yaml.string(topic, "spec.topicName");
            assertThat(Yaml.map(topic, "metadata.labels"))
                    .as(name)
                    .containsEntry("strimzi.io/cluster", Yaml.string(kafka, "metadata.name"));
            assertThat((Integer) Yaml.at(topic, "spec.partitions"))
                    .as(name + " partitions")
                    .isPositive();
            assertThat((Integer) Yaml.at(topic, "spec.replicas"))
                    .as(name + " replicas")
                    .isBetween(1, brokers);
            assertThat(Yaml.map(topic, "spec.config")).as(name + " retention").containsKey("retention.ms");
            Object minIsr = Yaml.map(topic, "spec.config").get("min.insync.replicas");
            assertThat(minIsr == null || (Integer) minIsr <= (Integer) Yaml.at(topic, "spec.replicas"))
                    .as(name + " min.insync.replicas")
                    .isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void servicesPointAtTheDeclaredKafkaAndDatabases(String overlay) {
        Manifests m = overlays.get(overlay);
        String bootstrapHost = Yaml.string(m.ofKind("Kafka").get(0), "metadata.name") + "-kafka-bootstrap";
        Map<String, Object> cluster = m.ofKind("Cluster").get(0);
        Set<String> databases = new TreeSet<>();
        databases.add(Yaml.string(cluster, "spec.bootstrap.initdb.database"));
        Pattern create = Pattern.compile("(?i)CREATE DATABASE (\\w+)");
        for (Object sql : Yaml.list(cluster, "spec.bootstrap.initdb.postInitSQL")) {
            Matcher matcher = create.matcher(String.valueOf(sql));
            if (matcher.find()) {
                databases.add(matcher.group(1));
            }
        }
        for (String module : services.keySet()) {
            Map<String, String> env = WorkloadRules.literalEnvironment(m.get("Deployment", module), m);
            Matcher jdbc = JDBC.matcher(env.getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", ""));
            assertThat(jdbc.matches())
                    .as(module + " QUARKUS_DATASOURCE_JDBC_URL")
                    .isTrue();
            assertThat(jdbc.group(1))
                    .as(module + " database host")
                    .isEqualTo(Yaml.string(cluster, "metadata.name") + "-rw");
            assertThat(databases).as("databases created by the Cluster").contains(jdbc.group(2));
            Matcher configured = JDBC.matcher(
                    services.get(module).value("quarkus.datasource.jdbc.url").orElse(""));
            assertThat(configured.matches() && configured.group(2).equals(jdbc.group(2)))
                    .as(module + " uses the database named in its application.properties")
                    .isTrue();
            if (services.get(module).readsEnv("KAFKA_BOOTSTRAP_SERVERS")) {
                assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS"))
                        .as(module + " Kafka")
                        .startsWith(bootstrapHost + ":");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void gatewayAndWebhookServiceAutoscale(String overlay) {
        Manifests m = overlays.get(overlay);
        for (String module : List.of("api-gateway", "webhook-service")) {
            Map<String, Object> hpa = m.get("HorizontalPodAutoscaler", module);
            assertThat(Yaml.string(hpa, "spec.scaleTargetRef.kind")).isEqualTo("Deployment");
            assertThat(Yaml.string(hpa, "spec.scaleTargetRef.name")).isEqualTo(module);
            int min = (Integer) Yaml.at(hpa, "spec.minReplicas");
            int max = (Integer) Yaml.at(hpa, "spec.maxReplicas");
            assertThat(min).isPositive();
            assertThat(max).isGreaterThan(min);
            assertThat(Yaml.maps(hpa, "spec.metrics")).isNotEmpty();
            assertThat(Yaml.at(m.get("Deployment", module), "spec.replicas"))
                    .as(module + " replicas left to the HPA")
                    .isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void networkPoliciesLetOnlyTheGatewayInFromOutside(String overlay) {
        Manifests m = overlays.get(overlay);
        NetworkPolicies policies = new NetworkPolicies(m);
        Map<String, Object> gatewayLabels = podLabels(m, "api-gateway");
        for (Map<String, Object> deployment : m.ofKind("Deployment")) {
            String name = Yaml.string(deployment, "metadata.name");
            Map<String, Object> labels = podLabels(m, name);
            if (!services.containsKey(name)) {
                // infrastructure the services use (Redis): default-deny too, and only the gateway gets in
                assertThat(policies.governing(labels, "Ingress"))
                        .as(name + " has a default-deny policy")
                        .anySatisfy(
                                p -> assertThat(Yaml.list(p, "spec.ingress")).isEmpty());
                assertThat(policies.rules(labels, "Ingress"))
                        .as(name + " admits only the gateway")
                        .isNotEmpty()
                        .allSatisfy(r -> assertThat(NetworkPolicies.peers(r))
                                .isNotEmpty()
                                .allMatch(p -> !NetworkPolicies.outsideNamespace(p)
                                        && NetworkPolicies.selects(Yaml.map(p, "podSelector"), gatewayLabels)
                                        && !Yaml.map(p, "podSelector.matchLabels")
                                                .isEmpty()));
            }
        }
        for (String module : services.keySet()) {
            Map<String, Object> labels = podLabels(m, module);
            assertThat(policies.governing(labels, "Ingress"))
                    .as(module + " has a default-deny ingress policy")
                    .anySatisfy(p -> assertThat(Yaml.list(p, "spec.ingress")).isEmpty());
            assertThat(policies.governing(labels, "Egress"))
                    .as(module + " has a default-deny egress policy")
                    .anySatisfy(p -> assertThat(Yaml.list(p, "spec.egress")).isEmpty());
            List<Map<String, Object>> rules = policies.rules(labels, "Ingress");
            assertThat(rules).as(module + " accepts some traffic").isNotEmpty();
            if (module.equals("api-gateway")) {
                assertThat(rules)
                        .as("the gateway accepts traffic from outside the namespace")
                        .anySatisfy(
                                r -> assertThat(NetworkPolicies.peers(r)).anyMatch(NetworkPolicies::outsideNamespace));
                continue;
            }
            for (Map<String, Object> rule : rules) {
                List<Map<String, Object>> peers = NetworkPolicies.peers(rule);
                assertThat(peers)
                        .as(module + ": a rule without peers admits everyone")
                        .isNotEmpty();
                for (Map<String, Object> peer : peers) {
                    boolean fromGateway = !peer.containsKey("namespaceSelector")
                            && !peer.containsKey("ipBlock")
                            && NetworkPolicies.selects(Yaml.map(peer, "podSelector"), gatewayLabels)
                            && !Yaml.map(peer, "podSelector.matchLabels").isEmpty();
                    boolean fromPrometheus = "monitoring"
                                    .equals(Yaml.map(peer, "namespaceSelector.matchLabels")
                                            .get("kubernetes.io/metadata.name"))
                            && "prometheus"
                                    .equals(Yaml.map(peer, "podSelector.matchLabels")
                                            .get("app.kubernetes.io/name"));
                    assertThat(fromGateway || fromPrometheus)
                            .as(module + " admits only the gateway and Prometheus, not " + peer)
                            .isTrue();
                }
            }
            assertThat(rules)
                    .as(module + " admits the gateway")
                    .anySatisfy(r -> assertThat(NetworkPolicies.peers(r))
                            .anyMatch(p -> NetworkPolicies.selects(Yaml.map(p, "podSelector"), gatewayLabels)
                                    && !p.containsKey("namespaceSelector")));
        }
        // egress to the internet: webhook-service on 443 (customer endpoints); no backend other than it
        assertThat(policies.rules(podLabels(m, "webhook-service"), "Egress"))
                .as("webhook-service reaches the internet on 443")
                .anySatisfy(r -> {
                    assertThat(NetworkPolicies.peers(r))
                            .anyMatch(p -> "0.0.0.0/0".equals(Yaml.string(p, "ipBlock.cidr")));
                    assertThat(NetworkPolicies.ports(r)).containsExactly(443);
                });
        for (String module : services.keySet()) {
            for (Map<String, Object> rule : policies.rules(podLabels(m, module), "Egress")) {
                boolean internet = NetworkPolicies.peers(rule).stream().anyMatch(p -> p.containsKey("ipBlock"));
                if (internet) {
                    assertThat(module)
                            .as("only the gateway (OIDC) and webhook-service leave the cluster")
                            .isIn("api-gateway", "webhook-service");
                    assertThat(NetworkPolicies.ports(rule))
                            .as(module + " leaves the cluster on 443 only")
                            .containsExactly(443);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyTheGatewayIsExposed(String overlay) {
        Manifests m = overlays.get(overlay);
        List<Map<String, Object>> routes = new ArrayList<>(m.ofKind("Ingress"));
        routes.addAll(m.ofKind("HTTPRoute"));
        assertThat(routes).isNotEmpty();
        for (Map<String, Object> route : routes) {
            List<String> backends = new ArrayList<>();
            for (Map<String, Object> rule : Yaml.maps(route, "spec.rules")) {
                Yaml.maps(rule, "http.paths").forEach(p -> backends.add(Yaml.string(p, "backend.service.name")));
                Yaml.maps(rule, "backendRefs").forEach(b -> backends.add(Yaml.string(b, "name")));
            }
            assertThat(backends).isNotEmpty().containsOnly("api-gateway");
        }
        for (Map<String, Object> service : m.ofKind("Service")) {
            assertThat(Yaml.string(service, "spec.type"))
                    .as("Service " + Yaml.string(service, "metadata.name"))
                    .isIn(null, "ClusterIP");
        }
    }

    @Test
    void localOnlyOutboundSwitchesAreOffInProd() {
        Manifests prod = overlays.get("prod");
        Map<String, String> env = WorkloadRules.literalEnvironment(prod.get("Deployment", "webhook-service"), prod);
        for (String property :
                List.of("cloudnexus.webhooks.outbound.allow-http", "cloudnexus.webhooks.outbound.allow-private")) {
            String name = ServiceConfiguration.envName(property);
            assertThat(env.getOrDefault(name, "false")).as(name + " in prod").isEqualToIgnoringCase("false");
            assertThat(services.get("webhook-service").value(property).orElse("false"))
                    .as(property + " default in application.properties")
                    .isEqualToIgnoringCase("false");
        }
        assertThat(env.getOrDefault("CLOUDNEXUS_GATEWAY_DEMO_ENABLED", "false")).isEqualTo("false");
        Map<String, String> gateway = WorkloadRules.literalEnvironment(prod.get("Deployment", "api-gateway"), prod);
        assertThat(gateway.getOrDefault("CLOUDNEXUS_GATEWAY_DEMO_ENABLED", "false"))
                .as("no demo account in prod")
                .isEqualTo("false");
    }
}
