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
public record Settings(Path root, Path local, Map<Service, Integer> ports, String httpHost, int kafkaPort,
        int kafkaControllerPort, List<String> kafkaHeap, String dbHost, int dbPort, String dbUser, String dbPassword,
        String dbPrefix, List<String> jvmOptions, List<String> extraOptions, Map<Service, List<String>> serviceOptions,
        int readyTimeoutSeconds, int kafkaTimeoutSeconds, int stopTimeoutSeconds, boolean detach) {

    static final String DEFAULT_JVM_OPTS = "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError";
    static final String DEFAULT_KAFKA_HEAP = "-Xmx512m";

    /** The usage lines of the environment variables (defaults in brackets), for {@code --help}. */
    static final String HELP = """
            Environment (defaults in brackets):
              CN_GATEWAY_PORT [8080]  CN_COMPUTE_PORT [8081]  CN_CLUSTER_PORT [8082]
              CN_BILLING_PORT [8083]  CN_WEBHOOK_PORT [8084]
              CN_HTTP_HOST [127.0.0.1]  interface the services listen on (0.0.0.0 = all)
              CN_KAFKA_PORT [9092]    CN_KAFKA_CONTROLLER_PORT [9093]   CN_KAFKA_HEAP [%s]
              CN_DB_HOST [127.0.0.1]  CN_DB_PORT [5432]  CN_DB_USER [postgres]  CN_DB_PASSWORD [empty]
                                      when nothing answers there (on a loopback host), an embedded
                                      PostgreSQL is started on that port, data in <local dir>/postgres
              CN_DB_PREFIX [cloudnexus_]  database names: <prefix>gateway, <prefix>compute, ...
              CN_LOCAL_DIR [<repo>/.local]  logs, pids, Kafka and PostgreSQL data, keys, credentials
              CN_JVM_OPTS [%s]
              CN_EXTRA_OPTS [empty]   extra JVM options / -Dkey=value for every service
              CN_GATEWAY_OPTS, CN_COMPUTE_OPTS, CN_CLUSTER_OPTS, CN_BILLING_OPTS, CN_WEBHOOK_OPTS
                                      extra JVM options for one service
              CN_READY_TIMEOUT [180]  seconds to wait for all services to be ready
              CN_KAFKA_TIMEOUT [60]   seconds to wait for Kafka
              CN_STOP_TIMEOUT [20]    seconds to wait after SIGTERM before SIGKILL
              CN_DETACH [0]           1 = like --detach
            """.formatted(DEFAULT_KAFKA_HEAP, DEFAULT_JVM_OPTS);

    public static Settings from(Map<String, String> env, Path root) {
        Map<Service, Integer> ports = new LinkedHashMap<>();
        for (Service s : Topology.SERVICES) {
            ports.put(s, integer(env, s.envPrefix() + "_PORT", s.defaultPort()));
        }
        Map<Service, List<String>> serviceOptions = new LinkedHashMap<>();
        for (Service s : Topology.SERVICES) {
            serviceOptions.put(s, words(env.getOrDefault(s.envPrefix() + "_OPTS", "")));
        }
        Path local = Path.of(env.getOrDefault("CN_LOCAL_DIR", root.resolve(".local").toString())).toAbsolutePath().normalize();
        return new Settings(root, local, ports,
                env.getOrDefault("CN_HTTP_HOST", "127.0.0.1"),
                integer(env, "CN_KAFKA_PORT", Topology.KAFKA_PORT),
                integer(env, "CN_KAFKA_CONTROLLER_PORT", Topology.KAFKA_CONTROLLER_PORT),
                words(env.getOrDefault("CN_KAFKA_HEAP", DEFAULT_KAFKA_HEAP)),
                env.getOrDefault("CN_DB_HOST", "127.0.0.1"),
                integer(env, "CN_DB_PORT", Topology.POSTGRES_PORT),
                env.getOrDefault("CN_DB_USER", "postgres"),
                env.getOrDefault("CN_DB_PASSWORD", ""),
                env.getOrDefault("CN_DB_PREFIX", Topology.DATABASE_PREFIX),
                words(env.getOrDefault("CN_JVM_OPTS", DEFAULT_JVM_OPTS)),
                words(env.getOrDefault("CN_EXTRA_OPTS", "")),
                serviceOptions,
                integer(env, "CN_READY_TIMEOUT", 180),
                integer(env, "CN_KAFKA_TIMEOUT", 60),
                integer(env, "CN_STOP_TIMEOUT", 20),
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
        return new Topology.Wiring(httpHost, ports, kafkaBootstrapServers(), dbHost, dbPort, dbUser, dbPassword,
                dbPrefix, keys().resolve("identity-public.pem"), keys().resolve("identity-private.pem"),
                demoCredentials(), local.resolve("webhook-secret.key"));
    }

    public List<String> databases() {
        return Topology.SERVICES.stream().map(s -> s.database(dbPrefix)).toList();
    }

    /** Option strings are split on whitespace (values containing spaces are not supported there). */
    static List<String> words(String value) {
        return Arrays.stream(value.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
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
