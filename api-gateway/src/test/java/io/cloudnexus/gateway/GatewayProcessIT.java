package io.cloudnexus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * The packaged gateway started the way the local platform starts it (prod profile, signing key from a
 * file, demo bootstrap on, no OIDC provider, no Redis configured, the services' settings passed too):
 * it becomes ready, writes the demo credentials, and the demo key works through it.
 */
class GatewayProcessIT {

    @Test
    void bootsWithoutOidcOrRedisAndServesTheDemoKey() throws Exception {
        String jdbcUrl = PostgresDatabaseResource.recreate("cn_test_api_gateway_it");
        Path dir = Files.createDirectories(Path.of("target/it-platform"));
        Path privateKey = dir.resolve("identity-private.pem");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("cloudnexus/identity/test-private.pem")) {
            Files.write(privateKey, in.readAllBytes());
        }
        Path credentials = dir.resolve("demo-credentials.env");
        Files.deleteIfExists(credentials);

        try (RecordingReceiver compute = RecordingReceiver.start();
                ServiceProcess gateway = ServiceProcess.of(Path.of("target/quarkus-app/quarkus-run.jar"), "api-gateway")
                        .property("quarkus.datasource.jdbc.url", jdbcUrl)
                        .property("quarkus.datasource.username", PostgresDatabaseResource.user())
                        .property("quarkus.datasource.password", PostgresDatabaseResource.password())
                        .property("kafka.bootstrap.servers", "127.0.0.1:9")
                        .property("cloudnexus.identity.public-key-location", "file:/nonexistent/identity-public.pem")
                        .property("cloudnexus.identity.signing-key-location", "file:" + privateKey.toAbsolutePath())
                        .property("cloudnexus.gateway.routes.compute", compute.url(""))
                        .property("cloudnexus.gateway.demo.enabled", "true")
                        .property(
                                "cloudnexus.gateway.demo.credentials-file",
                                credentials.toAbsolutePath().toString())
                        .start()) {
            gateway.awaitReady(Duration.ofSeconds(90));

            List<String> lines = Files.readAllLines(credentials);
            String accountId = lines.get(0).substring("CN_ACCOUNT_ID=".length());
            String key = lines.get(1).substring("CN_API_KEY=".length());
            assertThat(gateway.logTail(400)).doesNotContain(key);

            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create(gateway.url("/v2/servers")))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + key)
                            .header("X-CloudNexus-Id", accountId)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(ProxyForwardingTest.DOCS_BODY))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            ReceivedRequest forwarded =
                    compute.awaitCount(1, Duration.ofSeconds(5)).get(0);
            assertThat(forwarded.path()).isEqualTo("/servers");
            assertThat(forwarded.bodyAsString()).isEqualTo(ProxyForwardingTest.DOCS_BODY);
            assertThat(IdentityTokenVerifier.verify(forwarded.header("Authorization"))
                            .getSubject())
                    .isEqualTo(accountId);

            HttpResponse<String> notAKey = http.send(
                    HttpRequest.newBuilder(URI.create(gateway.url("/v2/servers")))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.x")
                            .header("X-CloudNexus-Id", accountId)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(notAKey.statusCode()).isEqualTo(401);
            assertThat(notAKey.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        }
    }
}
