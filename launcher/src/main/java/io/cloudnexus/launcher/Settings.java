package io.cloudnexus.launcher;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cloudnexus.launcher.Topology.Service;

/**
 * The launcher's configuration, from environment variables ({@code CN_*}, listed by {@code --help}); each
 * default is here and only here.
 */
public record Settings(
        Path root,
        Path local,
        Map<Service, Integer> ports,
        String httpHost,
        int kafkaPort,
        int kafkaControllerPort,
        List<String> kafkaHeap,
        String dbHost,
        int dbPort,
        String dbUser,
        String dbPassword,
        String dbPrefix,
        List<String> jvmOptions,
        List<String> extraOptions,
        Map<Service, List<String>> serviceOptions,
        int readyTimeoutSeconds,
        int kafkaTimeoutSeconds,
        int stopTimeoutSeconds,
        boolean detach) {

    /**
     * Every service's JVM options. {@code -Xms32m} and the heap free ratios keep an idle service under 200 MB of
     * RSS: without them the serial collector's initial heap is 1/64 of the machine's memory (384 MB on 24 GB),
     * committed and touched by the young collections, and each idle service held 238-250 MB (186-196 MB with them,
     * measured with every service up and idle for 30 s).
     */
    static final String DEFAULT_JVM_OPTS = "-Xms32m -Xmx384m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 "
            + "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError";

    static final String DEFAULT_KAFKA_HEAP = "-Xmx512m";

    static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    static final String DEFAULT_DB_HOST = "127.0.0.1";
    static final String DEFAULT_DB_USER = "postgres";
    static final int DEFAULT_READY_TIMEOUT = 180;
    static final int DEFAULT_KAFKA_TIMEOUT = 60;
    static final int DEFAULT_STOP_TIMEOUT = 20;

    /** The usage lines of the environment variables (defaults in brackets), for {@code --help}. */
    static final String HELP = """
            Environment (defaults in brackets):
              CN_GATEWAY_PORT [%d]  CN_COMPUTE_PORT [%d]  CN_CLUSTER_PORT [%d]
              CN_BILLING_PORT [%d]  CN_WEBHOOK_PORT [%d]
              CN_HTTP_HOST [%s]  interface the services listen on (0.0.0.0 = all)
              CN_KAFKA_PORT [%d]    CN_KAFKA_CONTROLLER_PORT [%d]   CN_KAFKA_HEAP [%s]
              CN_DB_HOST [%s]  CN_DB_PORT [%d]  CN_DB_USER [%s]  CN_DB_PASSWORD [empty]
                                      when nothing answers there (on a loopback host), an embedded
                                      PostgreSQL is started on that port, data in <local dir>/postgres
              CN_DB_PREFIX [%s]  database names: <prefix>gateway, <prefix>compute, ...
              CN_LOCAL_DIR [<repo>/.local]  logs, pids, Kafka and PostgreSQL data, keys, credentials
              CN_JVM_OPTS [%s]
              CN_EXTRA_OPTS [empty]   extra JVM options / -Dkey=value for every service
              CN_GATEWAY_OPTS, CN_COMPUTE_OPTS, CN_CLUSTER_OPTS, CN_BILLING_OPTS, CN_WEBHOOK_OPTS
                                      extra JVM options for one service
              CN_READY_TIMEOUT [%d]  seconds to wait for all services to be ready
              CN_KAFKA_TIMEOUT [%d]   seconds to wait for Kafka
              CN_STOP_TIMEOUT [%d]    seconds to wait after SIGTERM before SIGKILL
              CN_DETACH [0]           1 = like --detach
            """.formatted(
                    Topology.GATEWAY.defaultPort(),
                    Topology.COMPUTE.defaultPort(),
                    Topology.CLUSTER.defaultPort(),
                    Topology.BILLING.defaultPort(),
                    Topology.WEBHOOK.defaultPort(),
                    DEFAULT_HTTP_HOST,
                    Topology.KAFKA_PORT,
                    Topology.KAFKA_CONTROLLER_PORT,
                    DEFAULT_KAFKA_HEAP,
                    DEFAULT_DB_HOST,
                    Topology.POSTGRES_PORT,
                    DEFAULT_DB_USER,
                    Topology.DATABASE_PREFIX,
                    DEFAULT_JVM_OPTS,
                    DEFAULT_READY_TIMEOUT,
                    DEFAULT_KAFKA_TIMEOUT,
                    DEFAULT_STOP_TIMEOUT);

    public static Settings from(Map<String, String> env, Path root) {
        Map<Service, Integer> ports = new LinkedHashMap<>();
        for (Service s : Topology.SERVICES) {
            ports.put(s, integer(env, s.envPrefix() + "_PORT", s.defaultPort()));
        }
        Map<Service, List<String>> serviceOptions = new LinkedHashMap<>();
        for (Service s : Topology.SERVICES) {
            serviceOptions.put(s, words(env.getOrDefault(s.envPrefix() + "_OPTS", "")));
        }
        Path local = Path.of(
                        env.getOrDefault("CN_LOCAL_DIR", root.resolve(".local").toString()))
                .toAbsolutePath()
                .normalize();
        return new Settings(
                root,
                local,
                ports,
                env.getOrDefault("CN_HTTP_HOST", DEFAULT_HTTP_HOST),
                integer(env, "CN_KAFKA_PORT", Topology.KAFKA_PORT),
                integer(env, "CN_KAFKA_CONTROLLER_PORT", Topology.KAFKA_CONTROLLER_PORT),
                words(env.getOrDefault("CN_KAFKA_HEAP", DEFAULT_KAFKA_HEAP)),
                env.getOrDefault("CN_DB_HOST", DEFAULT_DB_HOST),
                integer(env, "CN_DB_PORT", Topology.POSTGRES_PORT),
                env.getOrDefault("CN_DB_USER", DEFAULT_DB_USER),
                env.getOrDefault("CN_DB_PASSWORD", ""),
                env.getOrDefault("CN_DB_PREFIX", Topology.DATABASE_PREFIX),
                words(env.getOrDefault("CN_JVM_OPTS", DEFAULT_JVM_OPTS)),
                words(env.getOrDefault("CN_EXTRA_OPTS", "")),
                serviceOptions,
                integer(env, "CN_READY_TIMEOUT", DEFAULT_READY_TIMEOUT),
                integer(env, "CN_KAFKA_TIMEOUT", DEFAULT_KAFKA_TIMEOUT),
                integer(env, "CN_STOP_TIMEOUT", DEFAULT_STOP_TIMEOUT),
                List.of("1", "true", "yes").contains(env.getOrDefault("CN_DETACH", "0")));
    }

    public int port(Service service) {
        return ports.get(service);
    }

    public Path logs() {
        return local.resolve("logs");
    }

    public Path pids() {
        return local.resolve("pids");
    }

    public Path keys() {
        return local.resolve("keys");
    }

    public Path kafkaData() {
        return local.resolve("kafka").resolve("data");
    }

    public Path postgresData() {
        return local.resolve("postgres");
    }

    public Path demoCredentials() {
        return local.resolve("demo-credentials.env");
    }

    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** The wiring of the services under these settings. */
    public Topology.Wiring wiring() {
        return new Topology.Wiring(
                httpHost,
                ports,
                kafkaBootstrapServers(),
                dbHost,
                dbPort,
                dbUser,
                dbPassword,
                dbPrefix,
                keys().resolve("identity-public.pem"),
                keys().resolve("identity-private.pem"),
                demoCredentials(),
                local.resolve("webhook-secret.key"));
    }

    public List<String> databases() {
        return Topology.SERVICES.stream().map(s -> s.database(dbPrefix)).toList();
    }

    /** Option strings are split on whitespace (values containing spaces are not supported there). */
    static List<String> words(String value) {
        return Arrays.stream(value.trim().split("\\s+"))
                .filter(w -> !w.isEmpty())
                .toList();
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new LauncherException(name + " must be a number, not '" + value + "'");
        }
    }
}
