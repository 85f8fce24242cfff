package io.cloudnexus.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * The whole platform for end-to-end tests, started once per test JVM: a real Kafka broker (in this JVM),
 * a fresh PostgreSQL database per service, and the five packaged services each in its own JVM, wired as
 * in production (the gateway routes to the services and signs identity tokens with a key only it holds).
 * The gateway bootstraps a demo account and API key, as the local platform does.
 */
public final class Platform {

    private static Platform instance;

    /** The operator's credential for the gateway's admin API ({@code /admin/...}); no account key is one. */
    public static final String OPERATOR_KEY = "e2e-operator-" + java.util.UUID.randomUUID();

    public final String bootstrapServers;
    public final ServiceProcess gateway;
    public final ServiceProcess compute;
    public final ServiceProcess cluster;
    public final ServiceProcess billing;
    public final ServiceProcess webhook;
    public final String accountId;
    public final String apiKey;

    private Platform() throws IOException {
        Path root = Path.of(System.getProperty("cloudnexus.root", "..")).toAbsolutePath().normalize();
        Path work = Path.of("target", "e2e").toAbsolutePath();
        Files.createDirectories(work);
        Path publicKey = copyResource("cloudnexus/identity/test-public.pem", work.resolve("identity-public.pem"));
        Path privateKey = copyResource("cloudnexus/identity/test-private.pem", work.resolve("identity-private.pem"));
        Path credentials = work.resolve("demo-credentials.env");
        Files.deleteIfExists(credentials);

        bootstrapServers = KafkaBrokerResource.startBroker();
        compute = backend(root, "compute-service", "compute", publicKey);
        cluster = backend(root, "cluster-service", "cluster", publicKey);
        billing = backend(root, "billing-service", "billing", publicKey);
        webhook = backend(root, "webhook-service", "webhook", publicKey)
                .property("cloudnexus.webhooks.outbound.allow-http", "true")
                .property("cloudnexus.webhooks.outbound.allow-private", "true")
                // the AES key for endpoint secrets (required: the service does not start without one)
                .property("cloudnexus.webhooks.secret-key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        gateway = ServiceProcess.of(jar(root, "api-gateway"), "api-gateway")
                .property("quarkus.datasource.jdbc.url", PostgresDatabaseResource.recreate("cn_e2e_gateway"))
                .property("quarkus.datasource.username", PostgresDatabaseResource.user())
                .property("quarkus.datasource.password", PostgresDatabaseResource.password())
                .property("cloudnexus.identity.signing-key-location", "file:" + privateKey)
                .property("cloudnexus.gateway.routes.compute", base(compute))
                .property("cloudnexus.gateway.routes.cluster", base(cluster))
                .property("cloudnexus.gateway.routes.billing", base(billing))
                .property("cloudnexus.gateway.routes.webhook", base(webhook))
                .property("cloudnexus.gateway.admin.bootstrap-key", OPERATOR_KEY)
                .property("cloudnexus.gateway.demo.enabled", "true")
                .property("cloudnexus.gateway.demo.credentials-file", credentials.toString());

        List<ServiceProcess> all = List.of(compute, cluster, billing, webhook, gateway);
        all.forEach(ServiceProcess::start);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> all.forEach(ServiceProcess::stop)));
        CompletableFuture.allOf(all.stream()
                .map(s -> CompletableFuture.runAsync(() -> s.awaitReady(Duration.ofSeconds(120))))
                .toArray(CompletableFuture[]::new)).join();

        Properties demo = new Properties();
        try (InputStream in = Files.newInputStream(credentials)) {
            demo.load(in);
        }
        accountId = demo.getProperty("CN_ACCOUNT_ID");
        apiKey = demo.getProperty("CN_API_KEY");
    }

    /** The running platform (started on first use). */
    public static synchronized Platform get() {
        if (instance == null) {
            try {
                instance = new Platform();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String gatewayUrl() {
        return base(gateway);
    }

    private static String base(ServiceProcess service) {
        return "http://127.0.0.1:" + service.port();
    }

    public Map<String, ServiceProcess> services() {
        return Map.of("api-gateway", gateway, "compute-service", compute, "cluster-service", cluster,
                "billing-service", billing, "webhook-service", webhook);
    }

    private ServiceProcess backend(Path root, String module, String db, Path publicKey) {
        return ServiceProcess.of(jar(root, module), module)
                .property("quarkus.datasource.jdbc.url", PostgresDatabaseResource.recreate("cn_e2e_" + db))
                .property("quarkus.datasource.username", PostgresDatabaseResource.user())
                .property("quarkus.datasource.password", PostgresDatabaseResource.password())
                .property("kafka.bootstrap.servers", bootstrapServers)
                .property("cloudnexus.identity.public-key-location", "file:" + publicKey);
    }

    private static Path jar(Path root, String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private static Path copyResource(String resource, Path target) throws IOException {
        try (InputStream in = Platform.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
