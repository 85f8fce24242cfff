package io.cloudnexus.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The platform's shape, defined once: the five services (module, short name, default port, database), the
 * Kafka topics, and the properties that wire each service to the others. The launcher starts exactly this;
 * the e2e tests run the launcher; deploy-tests checks it against docker-compose.yml, deploy/k8s and the
 * services' own configuration.
 */
public final class Topology {

    /** One service: its Maven module, its short name (database suffix, route name, env prefix) and default port. */
    public record Service(String module, String name, int defaultPort) {

        /** {@code CN_GATEWAY}, {@code CN_COMPUTE}, ...: the prefix of its environment variables. */
        public String envPrefix() {
            return "CN_" + name.toUpperCase(Locale.ROOT);
        }

        /** Its database: {@code <prefix><name>}, e.g. {@code cloudnexus_compute}. */
        public String database(String prefix) {
            return prefix + name;
        }

        /** {@code <root>/<module>/target/quarkus-app/quarkus-run.jar} */
        public Path jar(Path root) {
            return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        }

        public boolean isGateway() {
            return GATEWAY.equals(this);
        }
    }

    public static final Service COMPUTE = new Service("compute-service", "compute", 8081);
    public static final Service CLUSTER = new Service("cluster-service", "cluster", 8082);
    public static final Service BILLING = new Service("billing-service", "billing", 8083);
    public static final Service WEBHOOK = new Service("webhook-service", "webhook", 8084);
    public static final Service GATEWAY = new Service("api-gateway", "gateway", 8080);

    /** In start order: the gateway last (it routes to the others). */
    public static final List<Service> SERVICES = List.of(COMPUTE, CLUSTER, BILLING, WEBHOOK, GATEWAY);

    /** The backends the gateway routes to ({@code cloudnexus.gateway.routes.<name>}). */
    public static final List<Service> BACKENDS = List.of(COMPUTE, CLUSTER, BILLING, WEBHOOK);

    /** The Kafka topics, each with {@link #TOPIC_PARTITIONS} partitions. */
    public static final List<String> TOPICS =
            List.of("compute.events", "cluster.events", "billing.events", "webhook.events");

    public static final int TOPIC_PARTITIONS = 3;

    public static final int KAFKA_PORT = 9092;
    public static final int KAFKA_CONTROLLER_PORT = 9093;
    public static final int POSTGRES_PORT = 5432;
    /** Database names are {@code <prefix><service name>}. */
    public static final String DATABASE_PREFIX = "cloudnexus_";

    private Topology() {}

    /** Where the services find each other, the infrastructure and the local files. */
    public record Wiring(
            String httpHost,
            Map<Service, Integer> ports,
            String kafkaBootstrapServers,
            String databaseHost,
            int databasePort,
            String databaseUser,
            String databasePassword,
            String databasePrefix,
            Path publicKey,
            Path privateKey,
            Path demoCredentials,
            Path webhookSecretKeyFile) {

        public int port(Service service) {
            return ports.get(service);
        }

        public String jdbcUrl(Service service) {
            return "jdbc:postgresql://" + databaseHost + ":" + databasePort + "/" + service.database(databasePrefix);
        }
    }

    /** The system properties a service is started with (before any options the user adds). */
    public static Map<String, String> properties(Service service, Wiring wiring) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.http.port", Integer.toString(wiring.port(service)));
        p.put("quarkus.http.host", wiring.httpHost());
        if (!service.isGateway()) {
            // the gateway uses no Kafka
            p.put("kafka.bootstrap.servers", wiring.kafkaBootstrapServers());
        }
        p.put("quarkus.datasource.jdbc.url", wiring.jdbcUrl(service));
        p.put("quarkus.datasource.username", wiring.databaseUser());
        p.put("quarkus.datasource.password", wiring.databasePassword());
        p.put("cloudnexus.identity.public-key-location", "file:" + wiring.publicKey());
        if (service.isGateway()) {
            p.put("cloudnexus.identity.signing-key-location", "file:" + wiring.privateKey());
            for (Service backend : BACKENDS) {
                p.put("cloudnexus.gateway.routes." + backend.name(), "http://127.0.0.1:" + wiring.port(backend));
            }
            // the OAuth issuer: the gateway's URL as local clients reach it (metadata, token "iss")
            p.put("cloudnexus.gateway.oauth.issuer", "http://127.0.0.1:" + wiring.port(service));
            p.put("cloudnexus.gateway.demo.enabled", "true");
            p.put(
                    "cloudnexus.gateway.demo.credentials-file",
                    wiring.demoCredentials().toString());
        }
        if (service.equals(WEBHOOK)) {
            // local receivers on loopback
            p.put("cloudnexus.webhooks.outbound.allow-http", "true");
            p.put("cloudnexus.webhooks.outbound.allow-private", "true");
            // local runs only: the AES key for endpoint secrets is generated once (0600) in the local directory
            p.put("cloudnexus.webhooks.secret-key-file-fallback", "true");
            p.put(
                    "cloudnexus.webhooks.secret-key-file",
                    wiring.webhookSecretKeyFile().toString());
        }
        return p;
    }

    /** The service of a module name ({@code compute-service}), or of a short name ({@code compute}). */
    public static Service service(String moduleOrName) {
        for (Service s : SERVICES) {
            if (s.module().equals(moduleOrName) || s.name().equals(moduleOrName)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown service " + moduleOrName);
    }
}
