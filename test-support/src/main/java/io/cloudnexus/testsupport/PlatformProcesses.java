package io.cloudnexus.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the packaged services as separate processes ({@link ServiceProcess}), wired as in production: each
 * backend verifies identity tokens with the test public key, the gateway signs them with the private key and
 * routes to the backends, the webhook-service may call loopback {@code http} receivers. Callers choose the
 * databases and Kafka addresses (direct, or through a {@link TcpProxy}) and add their own properties.
 *
 * <pre>
 * PlatformProcesses platform = PlatformProcesses.in(Path.of("target/fault"));
 * ServiceProcess webhook = platform.webhook("webhook-1", jdbcUrl, kafka.bootstrapServers()).start();
 * </pre>
 *
 * <p>The repository root comes from the system property {@code cloudnexus.root} (the modules' failsafe
 * configuration sets it), else {@code ..}.
 */
public final class PlatformProcesses {

    /** The fixed AES key tests encrypt webhook secrets with (base64 of 32 bytes). */
    public static final String WEBHOOK_SECRET_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private final Path root;
    private final Path work;
    private final Path publicKey;
    private final Path privateKey;

    private PlatformProcesses(Path root, Path work) throws IOException {
        this.root = root;
        this.work = work;
        Files.createDirectories(work);
        publicKey = copyResource("cloudnexus/identity/test-public.pem", work.resolve("identity-public.pem"));
        privateKey = copyResource("cloudnexus/identity/test-private.pem", work.resolve("identity-private.pem"));
    }

    /** Uses {@code work} for the key files and credentials. */
    public static PlatformProcesses in(Path work) {
        Path root = Path.of(System.getProperty("cloudnexus.root", ".."))
                .toAbsolutePath()
                .normalize();
        try {
            return new PlatformProcesses(root, work.toAbsolutePath());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot prepare " + work, e);
        }
    }

    public Path work() {
        return work;
    }

    public Path publicKey() {
        return publicKey;
    }

    /** {@code <root>/<module>/target/quarkus-app/quarkus-run.jar} */
    public Path jar(String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** A backend service (compute, cluster, billing, webhook) on its database and Kafka; not started. */
    public ServiceProcess backend(String module, String name, String jdbcUrl, String bootstrapServers) {
        return ServiceProcess.of(jar(module), name)
                .property("quarkus.http.host", "127.0.0.1")
                .property("quarkus.datasource.jdbc.url", jdbcUrl)
                .property("quarkus.datasource.username", PostgresDatabaseResource.user())
                .property("quarkus.datasource.password", PostgresDatabaseResource.password())
                .property("kafka.bootstrap.servers", bootstrapServers)
                .property("cloudnexus.identity.public-key-location", "file:" + publicKey);
    }

    /**
     * The webhook-service with its production settings except what loopback receivers need (plain {@code http}
     * and private addresses allowed) and the fixed test encryption key; not started.
     */
    public ServiceProcess webhook(String name, String jdbcUrl, String bootstrapServers) {
        return backend("webhook-service", name, jdbcUrl, bootstrapServers)
                .property("cloudnexus.webhooks.secret-key", WEBHOOK_SECRET_KEY)
                .property("cloudnexus.webhooks.outbound.allow-http", "true")
                .property("cloudnexus.webhooks.outbound.allow-private", "true");
    }

    /**
     * The api-gateway routing to {@code routes} (route name, e.g. {@code compute}, to the backend), with the demo
     * account bootstrapped into {@link #demoCredentialsFile()}; not started.
     */
    public ServiceProcess gateway(String name, String jdbcUrl, Map<String, ServiceProcess> routes) {
        try {
            Files.deleteIfExists(demoCredentialsFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ServiceProcess gateway = ServiceProcess.of(jar("api-gateway"), name)
                .property("quarkus.http.host", "127.0.0.1")
                .property("quarkus.datasource.jdbc.url", jdbcUrl)
                .property("quarkus.datasource.username", PostgresDatabaseResource.user())
                .property("quarkus.datasource.password", PostgresDatabaseResource.password())
                .property("cloudnexus.identity.signing-key-location", "file:" + privateKey)
                .property("cloudnexus.gateway.demo.enabled", "true")
                .property(
                        "cloudnexus.gateway.demo.credentials-file",
                        demoCredentialsFile().toString());
        routes.forEach((route, service) ->
                gateway.property("cloudnexus.gateway.routes." + route, "http://127.0.0.1:" + service.port()));
        return gateway;
    }

    public Path demoCredentialsFile() {
        return work.resolve("demo-credentials.env");
    }

    /** The demo account's {@code CN_ACCOUNT_ID} and {@code CN_API_KEY} (after the gateway started). */
    public Properties demoCredentials() {
        Properties demo = new Properties();
        try (InputStream in = Files.newInputStream(demoCredentialsFile())) {
            demo.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("no demo credentials in " + demoCredentialsFile(), e);
        }
        return demo;
    }

    private static Path copyResource(String resource, Path target) throws IOException {
        try (InputStream in = PlatformProcesses.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
