package io.cloudnexus.webhook.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudnexus.common.text.StorableText;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.Api;
import io.cloudnexus.webhook.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Whatever bytes a receiver answers with (NUL in the status line, invalid UTF-8 and control characters in
 * headers and body), the attempt is stored and readable, and the engine keeps recording other deliveries.
 */
@QuarkusTest
@ServiceTest
class StorableAttemptTest {

    private static final byte[] NASTY = {
        'b',
        'o',
        'd',
        'y',
        0,
        ' ',
        (byte) 0xC3,
        (byte) 0x28,
        ' ',
        (byte) 0xED,
        (byte) 0xA0,
        (byte) 0x80,
        ' ',
        (byte) 0xFF,
        0x1B,
        '[',
        '3',
        '1',
        'm',
        0x7F,
        '\n',
        'e',
        'n',
        'd'
    };

    private static RawReceiver raw(byte[] response) {
        return RawReceiver.start((socket, in, out) -> {
            while (true) {
                RawReceiver.readRequest(in);
                send(out, response);
            }
        });
    }

    private static void send(OutputStream out, byte[] bytes) throws java.io.IOException {
        out.write(bytes);
        out.flush();
    }

    private static byte[] concat(String head, byte[] body) {
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void attemptsWithUnstorableReceiverTextAreStoredAndOthersKeepBeingRecorded() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        Map<String, byte[]> replies = Map.of(
                "nul in the status line", latin1("HT\0TP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
                "invalid utf-8 in headers and body",
                        concat(
                                "HTTP/1.1 503 Unavail\u00ffable\r\nRetry-After: \u00ff\u00fe1\u0085\r\n"
                                        + "X-Junk: \u00c3\u0028\u00ed\u00a0\u0080\r\nContent-Length: " + NASTY.length
                                        + "\r\n\r\n",
                                NASTY),
                "nul in a header value",
                        concat(
                                "HTTP/1.1 429 Too Many\r\nRetry-After: 1\0\r\nContent-Length: " + NASTY.length
                                        + "\r\n\r\n",
                                NASTY),
                "2xx with a hostile body",
                        concat("HTTP/1.1 200 OK\r\nContent-Length: " + NASTY.length + "\r\n\r\n", NASTY));
        List<RawReceiver> receivers = new ArrayList<>();
        try (RecordingReceiver healthy = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            Map<String, String> endpoints = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, byte[]> reply : replies.entrySet()) {
                RawReceiver receiver = raw(reply.getValue());
                receivers.add(receiver);
                String id = Api.createEndpoint(account, receiver.url("/hostile"), List.of("server.*"))
                        .path("id");
                endpoints.put(reply.getKey(), id);
            }
            String healthyId = Api.createEndpoint(account, healthy.url("/ok"), List.of("server.*"))
                    .path("id");

            events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.created", "srv_nul1", "{\"server_id\":\"srv_nul1\"}");
            endpoints.forEach((what, id) -> await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> {
                        List<Map<String, Object>> attempts = attempts(account, id);
                        assertThat(attempts).as(what).isNotEmpty();
                        for (Map<String, Object> attempt : attempts) {
                            for (String field : List.of("error_class", "response_excerpt")) {
                                Object value = attempt.get(field);
                                if (value != null) {
                                    String text = value.toString();
                                    assertThat(text)
                                            .as(what + " " + field)
                                            .isEqualTo(StorableText.of(text, Integer.MAX_VALUE));
                                }
                            }
                        }
                    }));
            assertThat(attempts(account, endpoints.get("nul in the status line"))
                            .get(0))
                    .containsEntry("error_class", "connection_error")
                    .extractingByKey("response_excerpt")
                    .asString()
                    .doesNotContain("\u0000");
            Map<String, Object> success =
                    attempts(account, endpoints.get("2xx with a hostile body")).get(0);
            assertThat(success).containsEntry("status_code", 200);
            assertThat(success.get("response_excerpt").toString())
                    .startsWith("body\uFFFD \uFFFD( \uFFFD")
                    .endsWith("\nend")
                    .doesNotContain("\u0000", "\u001b", "\u007f");

            // the engine was not wedged by any of them: a later event is delivered AND recorded
            events.publish(
                    Topics.COMPUTE_EVENTS,
                    account,
                    "server.provisioned",
                    "srv_nul1",
                    io.cloudnexus.webhook.TestEvents.serverProvisioned("srv_nul1", 1));
            healthy.awaitCount(2, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonPath list = Api.as(account)
                        .get("/webhooks/" + healthyId + "/deliveries")
                        .jsonPath();
                assertThat(list.getList("data.status", String.class)).hasSize(2).containsOnly("delivered");
            });
        } finally {
            receivers.forEach(RawReceiver::close);
        }
    }

    private static List<Map<String, Object>> attempts(String account, String endpointId) {
        List<String> deliveries = Api.as(account)
                .get("/webhooks/" + endpointId + "/deliveries")
                .jsonPath()
                .getList("data.id", String.class);
        if (deliveries == null || deliveries.isEmpty()) {
            return List.of();
        }
        return Api.as(account)
                .get("/webhooks/deliveries/" + deliveries.get(0) + "/attempts")
                .jsonPath()
                .getList("$");
    }
}
