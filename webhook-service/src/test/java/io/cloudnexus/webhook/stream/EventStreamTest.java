package io.cloudnexus.webhook.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.testsupport.StreamClient;
import io.cloudnexus.webhook.Api;
import io.cloudnexus.webhook.TestEvents;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The live stream with real clients (the JDK's WebSocket and an SSE reader) against the service: frames carry the
 * webhook body byte for byte, delivery frames follow the account's deliveries, {@code since} resumes with exactly
 * the missed events, no account sees another's, a slow client is closed, the cap holds, and every refusal comes
 * before the upgrade.
 */
@QuarkusTest
@ServiceTest
class EventStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/events/stream")
    URI stream;

    private static Map<String, String> as(String account) {
        return Map.of("Authorization", "Bearer " + IdentityTokens.forAccount(account));
    }

    private URI stream(String query) {
        return URI.create(stream + (query.isEmpty() ? "" : "?" + query));
    }

    private static String provisioned(TestEvents events, String account, String server, int n) {
        return events.publish(
                Topics.COMPUTE_EVENTS, account, "server.provisioned", server, TestEvents.serverProvisioned(server, n));
    }

    @Test
    void aWebSocketGetsTheEnvelopesTheReceiverGetsAndTheDeliveryFrames() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers());
                StreamClient client = StreamClient.webSocket(stream("types=server.*"), as(account))) {
            String endpoint = Api.createEndpoint(account, receiver.url("/hook"), List.of("server.*"))
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            String created = events.publish(
                    Topics.COMPUTE_EVENTS,
                    account,
                    "server.created",
                    "srv_ws1",
                    "{\"server_id\":\"srv_ws1\",\"region\":\"us-east-1\",\"plan\":\"s-1\",\"status\":\"creating\"}");
            String provisioned = provisioned(events, account, "srv_ws1", 1);
            // a type the filter leaves out
            events.publish(
                    Topics.BILLING_EVENTS,
                    account,
                    "billing.invoice.finalized",
                    "inv_ws1",
                    "{\"invoice_id\":\"inv_ws1\"}");

            assertThat(client.awaitEvents(2, WAIT)).containsExactly(created, provisioned);
            List<ReceivedRequest> got = receiver.awaitCount(2, WAIT);
            List<String> bodies =
                    got.stream().map(ReceivedRequest::bodyAsString).toList();
            assertThat(client.envelopes()).containsExactlyInAnyOrderElementsOf(bodies);

            client.await(c -> c.frames("delivery").size() >= 2, WAIT, "two delivery frames");
            JsonNode delivery = client.frames("delivery").get(0);
            assertThat(delivery.path("endpoint_id").asText()).isEqualTo(endpoint);
            assertThat(delivery.path("status").asText()).isEqualTo("delivered");
            assertThat(delivery.path("status_code").asInt()).isEqualTo(200);
            assertThat(delivery.path("delivery_id").asText()).startsWith("dlv_");
            assertThat(delivery.has("latency_ms")).isTrue();
            // the filtered-out invoice never shows up, not even as a heartbeat's neighbour
            client.await(c -> !c.frames("heartbeat").isEmpty(), WAIT, "a heartbeat");
            assertThat(client.frames("event"))
                    .noneMatch(f -> f.path("event").path("event").asText().startsWith("billing."));
        }
    }

    @Test
    void anotherAccountSeesNothingOfIt() {
        String mine = ResourceIds.newId(ResourceIds.ACCOUNT);
        String theirs = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers());
                StreamClient client = StreamClient.webSocket(stream(""), as(theirs))) {
            for (int i = 0; i < 5; i++) {
                provisioned(events, mine, "srv_iso" + i, i);
            }
            String own = provisioned(events, theirs, "srv_own", 9);
            // the account's own event, published last, is the first and only one it sees
            assertThat(client.awaitEvents(1, WAIT)).containsExactly(own);
        }
    }

    @Test
    void sinceResumesWithExactlyTheMissedEventsThenGoesLive() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            List<String> first = new ArrayList<>();
            try (StreamClient client = StreamClient.webSocket(stream(""), as(account))) {
                for (int i = 0; i < 3; i++) {
                    first.add(provisioned(events, account, "srv_res", i));
                }
                assertThat(client.awaitEvents(3, WAIT)).containsExactlyElementsOf(first);
            }
            List<String> missed = new ArrayList<>();
            for (int i = 3; i < 8; i++) {
                missed.add(provisioned(events, account, "srv_res", i));
            }
            try (StreamClient client = StreamClient.webSocket(stream("since=" + first.get(2)), as(account))) {
                assertThat(client.awaitEvents(5, WAIT)).containsExactlyElementsOf(missed);
                String live = provisioned(events, account, "srv_res", 8);
                client.awaitEvents(6, WAIT);
                List<String> all = new ArrayList<>(missed);
                all.add(live);
                assertThat(client.eventIds()).containsExactlyElementsOf(all);
            }
        }
    }

    @Test
    void serverSentEventsCarryTheSameFramesAndResumeWithLastEventId() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            String a;
            String b;
            try (StreamClient client = StreamClient.serverSentEvents(stream("types=server.provisioned"), as(account))) {
                a = provisioned(events, account, "srv_sse", 1);
                assertThat(client.awaitEvents(1, WAIT)).containsExactly(a);
            }
            b = provisioned(events, account, "srv_sse", 2);
            Map<String, String> headers = new java.util.HashMap<>(as(account));
            headers.put("Last-Event-ID", a);
            try (StreamClient client = StreamClient.serverSentEvents(stream(""), headers)) {
                assertThat(client.awaitEvents(1, WAIT)).containsExactly(b);
            }
        }
    }

    @Test
    void aClientThatDoesNotReadIsClosedNotBufferedWithoutBound() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String pad = "x".repeat(16_000);
        try (TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers());
                StreamClient client = StreamClient.webSocket(stream(""), as(account))) {
            client.pause();
            int published = 0;
            // 16 KB frames: the socket buffers fill, then the 100-frame buffer (test profile), then the close
            while (published < 2_000 && !closedOnServer(account)) {
                events.publish(
                        Topics.COMPUTE_EVENTS,
                        account,
                        "server.scaled",
                        "srv_slow",
                        "{\"server_id\":\"srv_slow\",\"pad\":\"" + pad + "\",\"n\":" + published + "}");
                published++;
            }
            assertThat(closedOnServer(account))
                    .as("closed after %d events", published)
                    .isTrue();
            client.resume();
            assertThat(client.awaitClosed(WAIT)).isEqualTo(CloseReason.SLOW_CONSUMER.code());
            assertThat(client.closeReason()).contains("since");
            assertThat(client.eventIds().size()).isLessThan(published);
        }
    }

    private static boolean closedOnServer(String account) {
        return io.quarkus.arc.Arc.container().instance(StreamHub.class).get().sessions().stream()
                .noneMatch(s -> s.accountId().equals(account));
    }

    @Test
    void theAccountsTierCapsItsOpenStreams() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        Map<String, String> starter =
                Map.of("Authorization", "Bearer " + IdentityTokens.mint(account, "starter", Set.of("read")));
        List<StreamClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) { // the starter tier's cap
                open.add(StreamClient.webSocket(stream(""), starter));
            }
            assertThatThrownBy(() -> StreamClient.webSocket(stream(""), starter))
                    .isInstanceOfSatisfying(StreamClient.Refused.class, r -> {
                        assertThat(r.status()).isEqualTo(429);
                        assertThat(r.headers()).containsKey("retry-after");
                    });
            assertThatThrownBy(() -> StreamClient.serverSentEvents(stream(""), starter))
                    .isInstanceOfSatisfying(
                            StreamClient.Refused.class,
                            r -> assertThat(r.status()).isEqualTo(429));
            // a professional account has more room (25)
            String pro = ResourceIds.newId(ResourceIds.ACCOUNT);
            Map<String, String> proHeaders =
                    Map.of("Authorization", "Bearer " + IdentityTokens.mint(pro, "professional", Set.of("read")));
            for (int i = 0; i < 6; i++) {
                open.add(StreamClient.webSocket(stream(""), proHeaders));
            }
            // closing one frees its place
            open.remove(0).close();
            org.awaitility.Awaitility.await()
                    .atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> open.add(StreamClient.webSocket(stream(""), starter)));
        } finally {
            open.forEach(StreamClient::close);
        }
    }

    @Test
    void refusalsAreProblemsBeforeTheUpgrade() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        assertRefused(() -> StreamClient.webSocket(stream(""), Map.of()), 401);
        assertRefused(() -> StreamClient.webSocket(stream("types=nope.*"), as(account)), 400);
        assertRefused(() -> StreamClient.webSocket(stream("since=evt_unknown"), as(account)), 400);
        assertRefused(
                () -> StreamClient.webSocket(stream("since=" + io.cloudnexus.contracts.EventIds.newId()), as(account)),
                404);
        Map<String, String> writeOnly =
                Map.of("Authorization", "Bearer " + IdentityTokens.mint(account, "starter", Set.of("write")));
        assertRefused(() -> StreamClient.webSocket(stream(""), writeOnly), 403);
        // neither an upgrade nor text/event-stream
        io.restassured.RestAssured.given()
                .auth()
                .oauth2(IdentityTokens.forAccount(account))
                .accept("application/json")
                .get(stream)
                .then()
                .statusCode(406)
                .contentType("application/problem+json");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable open, int status) {
        assertThatThrownBy(open).isInstanceOfSatisfying(StreamClient.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(status);
            if (status != 401) {
                assertThat(r.body()).contains("\"status\":" + status);
            }
        });
    }
}
