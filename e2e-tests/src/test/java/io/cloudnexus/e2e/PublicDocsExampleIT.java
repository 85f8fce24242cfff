package io.cloudnexus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.restassured.http.ContentType;

/**
 * The public pages' examples, verbatim, against the running platform (only the host and the key differ):
 * the curl that provisions two servers, and the receiver code that verifies a webhook's signature.
 */
class PublicDocsExampleIT {

    private static Platform platform;

    @BeforeAll
    static void start() {
        platform = Platform.get();
    }

    @Test
    void theCurlExampleProvisionsTwoServers() throws Exception {
        // curl -X POST https://api.cloudnexus.io/v2/servers -H "Authorization: Bearer cn_live_sk_abc123" ...
        List<String> curl = List.of(
                "curl",
                "-sS",
                "-w",
                "\n%{http_code}",
                "-X",
                "POST",
                platform.gatewayUrl() + "/v2/servers",
                "-H",
                "Authorization: Bearer " + platform.apiKey,
                "-H",
                "Content-Type: application/json",
                "-d",
                """
                        {
                            "region": "us-east-1",
                            "plan": "professional",
                            "image": "ubuntu-22.04",
                            "count": 2
                          }""");
        Process process = new ProcessBuilder(curl).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String status = output.substring(output.lastIndexOf('\n') + 1);
        JsonNode body = CanonicalJson.parse(output.substring(0, output.lastIndexOf('\n')));

        assertThat(status).as(output).startsWith("2");
        assertThat(body.path("id").asText()).startsWith("srv_"); // server.id, as the SDK example reads it
        assertThat(body.path("servers")).hasSize(2);
        for (JsonNode server : body.path("servers")) {
            assertThat(server.path("region").asText()).isEqualTo("us-east-1");
            assertThat(server.path("plan").asText()).isEqualTo("professional");
            assertThat(server.path("image").asText()).isEqualTo("ubuntu-22.04");
            String id = server.path("id").asText();
            assertThat(given().header("Authorization", "Bearer " + platform.apiKey)
                            .header("X-CloudNexus-Id", platform.accountId)
                            .get(platform.gatewayUrl() + "/v2/servers/" + id)
                            .jsonPath()
                            .getString("id"))
                    .isEqualTo(id);
        }
    }

    @Test
    void aWebhookVerifiesWithTheDocsReceiverCode() throws Exception {
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            String secret = given().header("Authorization", "Bearer " + platform.apiKey)
                    .header("X-CloudNexus-Id", platform.accountId)
                    .contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url("/hook"), "events", List.of("server.*")))
                    .post(platform.gatewayUrl() + "/v2/webhooks")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("secret");
            assertThat(secret).startsWith("whsec_");

            String serverId = given().header("Authorization", "Bearer " + platform.apiKey)
                    .header("X-CloudNexus-Id", platform.accountId)
                    .contentType(ContentType.JSON)
                    .body(Map.of("region", "us-east-1", "plan", "starter", "image", "ubuntu-22.04"))
                    .post(platform.gatewayUrl() + "/v2/servers")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");

            List<ReceivedRequest> received = receiver.await(
                    list -> eventsFor(list, serverId).containsAll(List.of("server.created", "server.provisioned")),
                    Duration.ofSeconds(60),
                    "server.created and server.provisioned of " + serverId);

            EventCatalog catalog = EventCatalog.load();
            for (ReceivedRequest request : received) {
                JsonNode envelope = CanonicalJson.parse(request.body());
                assertThat(catalog.validate(envelope.path("event").asText(), envelope.path("data")))
                        .isEmpty();
                assertThat(request.header("X-CloudNexus-Event"))
                        .isEqualTo(envelope.path("event").asText());
                assertThat(request.header("webhook-id"))
                        .isEqualTo(envelope.path("id").asText());
                assertThat(runDocsReceiverWith(request, secret)).isZero();
            }
            assertThat(runDocsReceiverWith(received.get(0), "whsec_not-the-secret"))
                    .isNotZero();
        }
    }

    private static List<String> eventsFor(List<ReceivedRequest> requests, String serverId) {
        List<String> events = new ArrayList<>();
        for (ReceivedRequest r : requests) {
            JsonNode envelope = CanonicalJson.parse(r.body());
            if (serverId.equals(envelope.path("data").path("server_id").asText())) {
                events.add(envelope.path("event").asText());
            }
        }
        return events;
    }

    private static int runDocsReceiverWith(ReceivedRequest request, String secret)
            throws IOException, InterruptedException {
        Path body = Files.createTempFile("webhook", ".json");
        Files.write(body, request.body());
        Path script = Path.of("src/test/resources/receivers/verify.js").toAbsolutePath();
        Process node = new ProcessBuilder(
                        "node",
                        script.toString(),
                        body.toString(),
                        request.header("X-CloudNexus-Signature"),
                        request.header("CloudNexus-Signature"),
                        secret)
                .redirectErrorStream(true)
                .start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).as(out).isTrue();
        return node.exitValue();
    }
}
