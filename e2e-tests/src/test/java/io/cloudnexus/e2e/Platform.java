package io.cloudnexus.e2e;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.cloudnexus.launcher.Topology;
import io.cloudnexus.launcher.Topology.Service;
import io.cloudnexus.testsupport.PostgresDatabaseResource;

/**
 * The whole platform for end-to-end tests, started once per test JVM exactly as the README's first command
 * starts it: {@code ./run-platform.sh} (in the foreground, from empty data: {@code --reset}), on free ports, in
 * {@code target/e2e/local}, against the tests' PostgreSQL server (databases {@code <namespace>cn_e2e_*}). The
 * launcher starts a real Kafka broker and the five packaged services, each in its own JVM, wired as in
 * production; the gateway bootstraps a demo account and API key. At the end of the test JVM the launcher gets
 * SIGTERM (as from Ctrl-C) and stops everything.
 */
public final class Platform {

    private static Platform instance;

    /** The operator's credential for the gateway's admin API ({@code /admin/...}); no account key is one. */
    public static final String OPERATOR_KEY = "e2e-operator-" + java.util.UUID.randomUUID();

    final LocalPlatform local;
    public final String accountId;
    public final String apiKey;

    private Platform(String name, String dbPrefix) {
        local = new LocalPlatform(
                name,
                PostgresDatabaseResource.serverHost(),
                PostgresDatabaseResource.serverPort(),
                PostgresDatabaseResource.user(),
                PostgresDatabaseResource.password(),
                System.getenv().getOrDefault("CN_TEST_PG_NAMESPACE", System.getProperty("cn.test.pg.namespace", ""))
                        + dbPrefix);
        local.env.put(
                Topology.GATEWAY.envPrefix() + "_OPTS", "-Dcloudnexus.gateway.admin.bootstrap-key=" + OPERATOR_KEY);
        Process launcher = local.start("--reset");
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            launcher.destroy();
                            try {
                                launcher.waitFor(90, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "e2e-platform-stop"));
        local.awaitOutput(launcher, "Press Ctrl-C to stop everything.", Duration.ofSeconds(420));
        Properties demo = local.demoCredentials();
        accountId = demo.getProperty("CN_ACCOUNT_ID");
        apiKey = demo.getProperty("CN_API_KEY");
    }

    /** The running platform (started on first use). */
    public static synchronized Platform get() {
        if (instance == null) {
            instance = new Platform("e2e", "cn_e2e_");
        }
        return instance;
    }

    /**
     * The platform for the end-to-end benchmark ({@code e2e-tests/bench/run.sh}): the same, in {@code target/bench}
     * with databases {@code <namespace>cn_bench_e2e_*}, so a benchmark never shares data with a test run.
     */
    public static synchronized Platform forBenchmark() {
        if (instance == null) {
            instance = new Platform("bench", "cn_bench_e2e_");
        }
        return instance;
    }

    /** The value of one of the launcher's environment variables as this platform set it (e.g. {@code CN_KAFKA_PORT}). */
    public String env(String name) {
        return local.env.get(name);
    }

    /** The platform's local directory ({@code CN_LOCAL_DIR}: logs, pids/<module>.pid, Kafka data). */
    public java.nio.file.Path localDir() {
        return local.local;
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String gatewayUrl() {
        return "http://127.0.0.1:" + local.ports.get(Topology.GATEWAY);
    }

    /** {@code http://127.0.0.1:<port of the service><path>} */
    public String url(Service service, String path) {
        return local.url(service, path);
    }

    /** Every service's module name and base URL. */
    public Map<String, String> services() {
        Map<String, String> urls = new LinkedHashMap<>();
        for (Service s : Topology.SERVICES) {
            urls.put(s.module(), url(s, ""));
        }
        return urls;
    }
}
