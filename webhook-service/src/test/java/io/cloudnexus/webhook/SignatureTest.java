package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** A receiver verifies both signature styles on the exact published envelope, including across a secret rotation. */
@QuarkusTest
@ServiceTest
class SignatureTest {

    @Test
    void receiverVerifiesBothSignatureStylesAcrossARotation() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            Response created = Api.createEndpoint(account, receiver.url("/hook"), List.of("server.*"));
            assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
            String endpointId = created.path("id");
            String secret = created.path("secret");
            assertThat(secret).startsWith("whsec_");
            assertThat(Api.as(account).get("/webhooks/" + endpointId).asString())
                    .doesNotContain("whsec_");

            String data =
                    "{\"server_id\":\"srv_sig1\",\"region\":\"eu-west-1\",\"status\":\"running\",\"ip\":\"203.0.113.9\",\"note\":\"caf\u00e9 \u2713\"}";
            String firstId = events.publish(Topics.COMPUTE_EVENTS, account, "server.provisioned", "srv_sig1", data);
            ReceivedRequest first =
                    receiver.awaitCount(1, Duration.ofSeconds(30)).get(0);

            assertThat(first.header("content-type")).startsWith("application/json");
            assertThat(first.header("user-agent")).startsWith("CloudNexus-Webhooks/");
            assertThat(first.header("x-cloudnexus-event")).isEqualTo("server.provisioned");
            assertThat(first.header("x-cloudnexus-delivery")).startsWith("dlv_");
            assertThat(first.header("webhook-id")).isEqualTo(firstId);
            assertThat(Signatures.hexValid(first, "X-CloudNexus-Signature", secret))
                    .isTrue();
            assertThat(Signatures.hexValid(first, "CloudNexus-Signature", secret))
                    .isTrue();
            assertThat(Signatures.standardValid(first, secret)).isTrue();
            EventEnvelope envelope = EventEnvelope.parse(first.bodyAsString());
            assertThat(envelope.id()).isEqualTo(firstId);
            assertThat(envelope.event()).isEqualTo("server.provisioned");
            assertThat(CanonicalJson.toJson(envelope.data())).isEqualTo(data);
            assertThat(first.bodyAsString())
                    .startsWith("{\"event\":\"server.provisioned\",\"id\":\"" + firstId + "\",\"timestamp\":\"");
            assertThat(nodeVerifies(first.bodyAsString(), secret, first.header("cloudnexus-signature")))
                    .as("the public docs' Node.js receiver (re-serialises the body) accepts the signature")
                    .isTrue();

            Response rotated = Api.as(account).post("/webhooks/" + endpointId + "/secret/rotate");
            assertThat(rotated.statusCode()).isEqualTo(200);
            String newSecret = rotated.path("secret");
            assertThat(newSecret).startsWith("whsec_").isNotEqualTo(secret);
            assertThat(rotated.<String>path("previous_secret_expires_at")).isNotNull();

            events.publish(
                    Topics.COMPUTE_EVENTS,
                    account,
                    "server.scaled",
                    "srv_sig1",
                    "{\"server_id\":\"srv_sig1\",\"previous_plan\":\"starter\",\"plan\":\"professional\",\"vcpus\":4,\"memory_gb\":8}");
            ReceivedRequest second =
                    receiver.awaitCount(2, Duration.ofSeconds(30)).get(1);
            // during the grace period the hex headers carry exactly ONE value, the new secret's (the public
            // docs' receivers compare the whole header); the old secret's is in X-CloudNexus-Signature-Previous
            String newHex = HexFormat.of()
                    .formatHex(Signatures.hmac(newSecret.getBytes(StandardCharsets.UTF_8), second.body()));
            String oldHex =
                    HexFormat.of().formatHex(Signatures.hmac(secret.getBytes(StandardCharsets.UTF_8), second.body()));
            assertThat(second.header("X-CloudNexus-Signature")).isEqualTo(newHex);
            assertThat(second.header("CloudNexus-Signature")).isEqualTo(newHex);
            assertThat(second.header("X-CloudNexus-Signature-Previous")).isEqualTo(oldHex);
            assertThat(nodeVerifies(second.bodyAsString(), newSecret, second.header("x-cloudnexus-signature")))
                    .as(
                            "the public docs' Node.js receiver, configured with the new secret, accepts the rotated delivery")
                    .isTrue();
            assertThat(nodeVerifies(second.bodyAsString(), secret, second.header("x-cloudnexus-signature-previous")))
                    .as("a receiver still on the old secret verifies the previous header")
                    .isTrue();
            // webhook-signature (Standard Webhooks) carries both, and verifies with either secret
            assertThat(second.header("webhook-signature").split(" ")).hasSize(2);
            for (String s : List.of(secret, newSecret)) {
                assertThat(Signatures.standardValid(second, s))
                        .as("webhook-signature with the %s secret", s.equals(secret) ? "old" : "new")
                        .isTrue();
            }
            assertThat(first.header("X-CloudNexus-Signature-Previous"))
                    .as("no previous header outside a rotation")
                    .isNull();
            assertThat(Signatures.standardValid(
                            second, "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])))
                    .isFalse();
        }
    }

    @Test
    void aTestSendDeliversTheCatalogSampleMarkedAsTest() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            receiver.defaultReply(Reply.ok());
            Response created = Api.createEndpoint(account, receiver.url("/t"), List.of("backup.completed"));
            String endpointId = created.path("id");
            Response test = Api.as(account).body("{}").post("/webhooks/" + endpointId + "/test");
            assertThat(test.statusCode()).as(test.asString()).isEqualTo(202);
            assertThat(test.<Boolean>path("test")).isTrue();
            ReceivedRequest request =
                    receiver.awaitCount(1, Duration.ofSeconds(20)).get(0);
            assertThat(request.header("x-cloudnexus-event")).isEqualTo("backup.completed");
            assertThat(Signatures.hexValid(request, "X-CloudNexus-Signature", created.path("secret")))
                    .isTrue();

            Response refused = Api.as(account)
                    .body("{\"event\":\"backup.completed\",\"data\":{\"nope\":1}}")
                    .post("/webhooks/" + endpointId + "/test");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.jsonPath().getString("errors[0].field")).isEqualTo("data");
        }
    }

    /** Runs the public docs' Express-style check: hmac(JSON.stringify(JSON.parse(body))) === header. */
    private static boolean nodeVerifies(String body, String secret, String signature)
            throws IOException, InterruptedException {
        String script = "const crypto=require('crypto');let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{"
                + "const payload=JSON.stringify(JSON.parse(s));"
                + "const e=crypto.createHmac('sha256',process.argv[1]).update(payload).digest('hex');"
                + "process.exit(e===process.argv[2]&&payload===s?0:1)})";
        Process node = new ProcessBuilder("node", "-e", script, secret, signature)
                .redirectErrorStream(true)
                .start();
        node.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        node.getOutputStream().close();
        assertThat(node.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return node.exitValue() == 0;
    }
}
