package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The durable retry queue with the compressed test schedule (5 attempts): retries until success, every
 * attempt recorded; dead letters after the last attempt and bulk replay; 410 disables the endpoint and
 * publishes webhook.endpoint.disabled; redelivery.
 */
@QuarkusTest
@ServiceTest
class RetryAndDeadLetterTest {

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aReceiverFailingThreeTimesGetsTheEventOnTheFourthAttemptAndTheAttemptsAreListed() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            receiver.script(
                    Reply.status(500).withBody("boom"),
                    Reply.status(503).withHeader("Retry-After", "0"),
                    Reply.status(302).withHeader("Location", "http://127.0.0.1:1/elsewhere"));
            String endpointId = Api.createEndpoint(account, receiver.url("/r"), List.of("server.provisioned"))
                    .path("id");
            String eventId = events.publish(
                    Topics.COMPUTE_EVENTS,
                    account,
                    "server.provisioned",
                    "srv_retry",
                    TestEvents.serverProvisioned("srv_retry", 1));

            List<ReceivedRequest> received = receiver.awaitCount(4, WAIT);
            assertThat(received).extracting(r -> r.header("webhook-id")).containsOnly(eventId);
            assertThat(received)
                    .extracting(ReceivedRequest::bodyAsString)
                    .containsOnly(received.get(0).bodyAsString());

            JsonPath delivery = awaitDelivery(account, endpointId, "delivered");
            assertThat(delivery.getInt("data[0].attempts")).isEqualTo(4);
            assertThat(delivery.getInt("data[0].last_status_code")).isEqualTo(200);
            assertThat(delivery.getString("data[0].event_type")).isEqualTo("server.provisioned");
            String deliveryId = delivery.getString("data[0].id");

            JsonPath attempts = Api.as(account)
                    .get("/webhooks/" + endpointId + "/deliveries/" + deliveryId + "/attempts")
                    .jsonPath();
            assertThat(attempts.getList("status_code", Integer.class)).containsExactly(500, 503, 302, 200);
            assertThat(attempts.getList("attempt", Integer.class)).containsExactly(1, 2, 3, 4);
            assertThat(attempts.getString("[0].response_excerpt")).isEqualTo("boom");
            assertThat(attempts.getList("latency_ms", Integer.class))
                    .allSatisfy(l -> assertThat(l).isGreaterThanOrEqualTo(0));
            assertThat(attempts.getList("attempted_at", String.class)).isSorted();

            // the account-wide listing shows it too, filterable by type and status
            JsonPath all = Api.as(account)
                    .queryParam("event", "server.provisioned")
                    .queryParam("status", "delivered")
                    .get("/webhooks/deliveries")
                    .jsonPath();
            assertThat(all.getList("data.id", String.class)).contains(deliveryId);
            assertThat(Api.as(account)
                            .queryParam("status", "exploded")
                            .get("/webhooks/deliveries")
                            .statusCode())
                    .isEqualTo(400);

            // redelivery sends the same event again
            Response redelivered = Api.as(account).post("/webhooks/deliveries/" + deliveryId + "/redeliver");
            assertThat(redelivered.statusCode()).isEqualTo(202);
            assertThat(receiver.awaitCount(5, WAIT).get(4).header("webhook-id")).isEqualTo(eventId);
        }
    }

    @Test
    void anAlwaysFailingReceiverEndsInTheDeadLetterQueueAndABulkReplayDeliversEverything() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            receiver.defaultReply(Reply.status(500));
            String endpointId = Api.createEndpoint(account, receiver.url("/dead"), List.of("*"))
                    .path("id");
            Set<String> ids = Set.of(
                    events.publish(
                            Topics.COMPUTE_EVENTS,
                            account,
                            "server.provisioned",
                            "srv_d1",
                            TestEvents.serverProvisioned("srv_d1", 1)),
                    events.publish(
                            Topics.CLUSTER_EVENTS,
                            account,
                            "cluster.node.joined",
                            "cls_d2",
                            "{\"cluster_id\":\"cls_d2\",\"node_id\":\"node-1\",\"pool\":\"default\"}"),
                    events.publish(
                            Topics.BILLING_EVENTS,
                            account,
                            "billing.invoice.finalized",
                            "inv_d3",
                            "{\"invoice_id\":\"inv_d3\",\"amount_cents\":1200,\"currency\":\"USD\"}"));

            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .get("/webhooks/" + endpointId + "/dead-letters")
                                    .jsonPath()
                                    .getList("data"))
                            .hasSize(3));
            JsonPath dead = Api.as(account)
                    .get("/webhooks/" + endpointId + "/dead-letters")
                    .jsonPath();
            assertThat(dead.getList("data.attempts", Integer.class)).containsOnly(5);
            assertThat(dead.getList("data.status", String.class)).containsOnly("dead");
            assertThat(receiver.count()).isEqualTo(15);

            receiver.defaultReply(Reply.ok());
            Response replay = Api.as(account).body("{}").post("/webhooks/" + endpointId + "/dead-letters/replay");
            assertThat(replay.statusCode()).isEqualTo(202);
            assertThat(replay.jsonPath().getInt("replayed")).isEqualTo(3);
            List<ReceivedRequest> received = receiver.awaitCount(18, WAIT);
            assertThat(received.subList(15, 18).stream()
                            .map(r -> EventEnvelope.parse(r.bodyAsString()).id())
                            .collect(Collectors.toSet()))
                    .isEqualTo(ids);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .queryParam("status", "delivered")
                                    .get("/webhooks/" + endpointId + "/deliveries")
                                    .jsonPath()
                                    .getList("data"))
                            .hasSize(3));
            assertThat(Api.as(account)
                            .get("/webhooks/" + endpointId + "/dead-letters")
                            .jsonPath()
                            .getList("data"))
                    .isEmpty();
        }
    }

    @Test
    void deadLettersCanBeReplayedOneByOneAndPurged() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            receiver.defaultReply(Reply.status(400));
            String endpointId = Api.createEndpoint(account, receiver.url("/p"), List.of("server.*"))
                    .path("id");
            events.publish(Topics.COMPUTE_EVENTS, account, "server.created", "srv_p1", "{\"server_id\":\"srv_p1\"}");
            events.publish(Topics.COMPUTE_EVENTS, account, "server.created", "srv_p2", "{\"server_id\":\"srv_p2\"}");
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .get("/webhooks/" + endpointId + "/dead-letters")
                                    .jsonPath()
                                    .getList("data"))
                            .hasSize(2));
            List<String> dead = Api.as(account)
                    .get("/webhooks/" + endpointId + "/dead-letters")
                    .jsonPath()
                    .getList("data.id");

            receiver.defaultReply(Reply.ok());
            assertThat(Api.as(account)
                            .post("/webhooks/" + endpointId + "/dead-letters/" + dead.get(0) + "/replay")
                            .statusCode())
                    .isEqualTo(202);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .get("/webhooks/" + endpointId + "/deliveries/" + dead.get(0))
                                    .jsonPath()
                                    .getString("status"))
                            .isEqualTo("delivered"));
            Response purge = Api.as(account).delete("/webhooks/" + endpointId + "/dead-letters");
            assertThat(purge.jsonPath().getInt("purged")).isEqualTo(1);
            assertThat(Api.as(account)
                            .get("/webhooks/" + endpointId + "/deliveries/" + dead.get(1))
                            .statusCode())
                    .isEqualTo(404);
            assertThat(Api.as(account)
                            .post("/webhooks/" + endpointId + "/dead-letters/" + dead.get(1) + "/replay")
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void a410DisablesTheEndpointAndTheDisableIsPublishedAsAnEvent() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver gone = RecordingReceiver.start();
                RecordingReceiver watcher = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            gone.defaultReply(Reply.status(410));
            String goneId = Api.createEndpoint(account, gone.url("/gone"), List.of("server.*"))
                    .path("id");
            Api.createEndpoint(account, watcher.url("/watch"), List.of("webhook.endpoint.disabled"));
            events.publish(Topics.COMPUTE_EVENTS, account, "server.terminated", "srv_g", "{\"server_id\":\"srv_g\"}");

            ReceivedRequest notice = watcher.awaitCount(1, WAIT).get(0);
            EventEnvelope envelope = EventEnvelope.parse(notice.bodyAsString());
            assertThat(envelope.event()).isEqualTo("webhook.endpoint.disabled");
            assertThat(envelope.data().get("endpoint_id").asText()).isEqualTo(goneId);
            assertThat(envelope.data().get("reason").asText()).isEqualTo("gone");
            assertThat(gone.count()).isEqualTo(1);

            JsonPath endpoint = Api.as(account).get("/webhooks/" + goneId).jsonPath();
            assertThat(endpoint.getString("status")).isEqualTo("disabled");
            assertThat(endpoint.getString("disabled_reason")).isEqualTo("gone");
            assertThat(Api.as(account)
                            .get("/webhooks/" + goneId + "/dead-letters")
                            .jsonPath()
                            .getList("data"))
                    .hasSize(1);

            gone.defaultReply(Reply.ok());
            assertThat(Api.as(account)
                            .post("/webhooks/" + goneId + "/enable")
                            .jsonPath()
                            .getString("status"))
                    .isEqualTo("active");
            events.publish(Topics.COMPUTE_EVENTS, account, "server.terminated", "srv_g2", "{\"server_id\":\"srv_g2\"}");
            assertThat(gone.awaitCount(2, WAIT).get(1).header("x-cloudnexus-event"))
                    .isEqualTo("server.terminated");
        }
    }

    @Test
    void anEndpointFailingForTheWholeWindowIsDisabledAndTheDisableIsPublished() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver failing = RecordingReceiver.start();
                RecordingReceiver watcher = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            failing.defaultReply(Reply.status(500));
            String failingId = Api.createEndpoint(account, failing.url("/f"), List.of("server.*"))
                    .path("id");
            Api.createEndpoint(account, watcher.url("/w"), List.of("webhook.*"));
            events.publish(Topics.COMPUTE_EVENTS, account, "server.created", "srv_w1", "{\"server_id\":\"srv_w1\"}");
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .get("/webhooks/" + failingId)
                                    .jsonPath()
                                    .getString("failing_since"))
                            .isNotNull());
            assertThat(Api.as(account).get("/webhooks/" + failingId).jsonPath().getString("status"))
                    .isEqualTo("active");
            // the first delivery exhausts its (compressed) schedule first: were it still retrying when the window is
            // moved back, its own next failure would disable the endpoint before the second event is matched
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .get("/webhooks/" + failingId + "/dead-letters")
                                    .jsonPath()
                                    .getList("data"))
                            .hasSize(1));
            // the streak started 5 days and 1 minute ago: the next failure ends the window (default 5 days)
            try (java.sql.Connection c = dataSource.getConnection();
                    java.sql.PreparedStatement ps = c.prepareStatement(
                            "UPDATE webhook_endpoint SET failing_since = now() - interval '5 days 1 minute' WHERE id = ?")) {
                ps.setString(1, failingId);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            events.publish(Topics.COMPUTE_EVENTS, account, "server.created", "srv_w2", "{\"server_id\":\"srv_w2\"}");

            EventEnvelope notice =
                    EventEnvelope.parse(watcher.awaitCount(1, WAIT).get(0).bodyAsString());
            assertThat(notice.event()).isEqualTo("webhook.endpoint.disabled");
            assertThat(notice.data().get("endpoint_id").asText()).isEqualTo(failingId);
            assertThat(notice.data().get("reason").asText()).isEqualTo("failing");
            assertThat(notice.data().get("failing_since").asText()).endsWith("Z");
            JsonPath endpoint = Api.as(account).get("/webhooks/" + failingId).jsonPath();
            assertThat(endpoint.getString("status")).isEqualTo("disabled");
            assertThat(endpoint.getString("disabled_reason")).isEqualTo("failing");
            // its unfinished deliveries are in the dead-letter queue, ready for a replay after re-enabling
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .get("/webhooks/" + failingId + "/dead-letters")
                                    .jsonPath()
                                    .getList("data"))
                            .hasSize(2));
        }
    }

    private static JsonPath awaitDelivery(String account, String endpointId, String status) {
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(Api.as(account)
                                .queryParam("status", status)
                                .get("/webhooks/" + endpointId + "/deliveries")
                                .jsonPath()
                                .getList("data"))
                        .hasSize(1));
        return Api.as(account)
                .queryParam("status", status)
                .get("/webhooks/" + endpointId + "/deliveries")
                .jsonPath();
    }
}
