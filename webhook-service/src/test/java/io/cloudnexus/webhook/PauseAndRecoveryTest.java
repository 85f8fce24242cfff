package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Pause vs disable: a paused endpoint's events are queued and held, none sent while paused, all sent on resume,
 * and the failure window does not count the pause; a disabled endpoint gets nothing, and enable + recover sends
 * exactly what it missed in the window (original ids and bytes; nothing before the window, nothing delivered
 * twice, dead letters revived, test events never). Recover's validation and tenant isolation.
 */
@QuarkusTest
@ServiceTest
class PauseAndRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    DataSource dataSource;

    @Test
    void aPausedEndpointGetsTheEventsOfItsPauseOnResumeAndNoneWhilePaused() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver paused = RecordingReceiver.start();
                RecordingReceiver watcher = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            String pausedId = Api.createEndpoint(account, paused.url("/paused"), List.of("server.*"))
                    .path("id");
            Api.createEndpoint(account, watcher.url("/watcher"), List.of("*"));
            Api.as(account).post("/webhooks/" + pausedId + "/pause").then().statusCode(200);

            String first = events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.created", "srv_p", "{\"server_id\":\"srv_p\"}");
            String second = events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.terminated", "srv_p", "{\"server_id\":\"srv_p\"}");
            watcher.awaitCount(2, WAIT);
            // queued for the paused endpoint too (same ingest transaction as the watcher's), held: pending, not leased
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Rows.value(
                                    dataSource,
                                    "SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ? AND status = 'pending' "
                                            + "AND lease_owner IS NULL",
                                    pausedId))
                            .isEqualTo(2L));
            // the scheduler runs every 50 ms: while one more event goes through to the watcher, nothing is sent
            String third = events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.created", "srv_p2", "{\"server_id\":\"srv_p2\"}");
            watcher.awaitCount(3, WAIT);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Rows.value(
                                    dataSource,
                                    "SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ?",
                                    pausedId))
                            .isEqualTo(3L));
            assertThat(paused.count()).as("nothing sent while paused").isZero();
            // never leased into memory either: a row taken and handed back (deferred) would have been updated since
            assertThat(Rows.value(
                            dataSource,
                            "SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ? AND lease_owner IS NULL "
                                    + "AND started_attempts = 0 AND updated_at = created_at",
                            pausedId))
                    .isEqualTo(3L);

            Api.as(account).post("/webhooks/" + pausedId + "/resume").then().statusCode(200);
            List<ReceivedRequest> got = paused.awaitCount(3, WAIT);
            assertThat(got).extracting(r -> r.header("webhook-id")).containsExactlyInAnyOrder(first, second, third);
            for (ReceivedRequest r : got) {
                assertThat(r.body()).isEqualTo(storedBody(r.header("webhook-id")));
            }
        }
    }

    @Test
    void theFailureWindowDoesNotCountTheTimeAnEndpointWasPaused() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver failing = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            failing.defaultReply(Reply.status(500));
            String id = Api.createEndpoint(account, failing.url("/f"), List.of("server.*"))
                    .path("id");
            // failing for 5 days and 1 minute (the window is 5 days), 2 days of which it was paused
            Rows.update(
                    dataSource,
                    "UPDATE webhook_endpoint SET failing_since = now() - interval '5 days 1 minute' WHERE id = ?",
                    id);
            Api.as(account).post("/webhooks/" + id + "/pause").then().statusCode(200);
            Rows.update(
                    dataSource, "UPDATE webhook_endpoint SET paused_at = now() - interval '2 days' WHERE id = ?", id);
            Response resumed = Api.as(account).post("/webhooks/" + id + "/resume");
            assertThat(resumed.statusCode()).isEqualTo(200);
            Instant failingSince = Instant.parse(resumed.jsonPath().getString("failing_since"));
            Instant expected = Instant.now().minus(Duration.ofDays(3).plusMinutes(1));
            assertThat(Duration.between(failingSince, expected).abs()).isLessThan(Duration.ofMinutes(1));

            // the next failure: 3 days of failing while active, within the window: the endpoint stays active
            events.publish(Topics.COMPUTE_EVENTS, account, "server.created", "srv_fw", "{\"server_id\":\"srv_fw\"}");
            failing.awaitCount(1, WAIT);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Rows.value(
                                    dataSource,
                                    "SELECT count(*) FROM webhook_attempt a JOIN webhook_delivery d ON d.id = a.delivery_id "
                                            + "WHERE d.endpoint_id = ?",
                                    id))
                            .isNotEqualTo(0L));
            assertThat(Api.as(account).get("/webhooks/" + id).jsonPath().getString("status"))
                    .isEqualTo("active");
        }
    }

    @Test
    void aDisabledEndpointGetsNothingAndEnablePlusRecoverSendsExactlyWhatItMissed() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start();
                RecordingReceiver watcher = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            receiver.script(Reply.ok(), Reply.status(410)).defaultReply(Reply.status(500));
            String id = Api.createEndpoint(account, receiver.url("/d"), List.of("server.*"))
                    .path("id");
            Api.createEndpoint(account, watcher.url("/w"), List.of("server.*", "cluster.*"));
            String delivered = events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.created", "srv_d", "{\"server_id\":\"srv_d\"}");
            receiver.awaitCount(1, WAIT);
            // a 410: dead-lettered, and the endpoint is disabled
            String dead = events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.terminated", "srv_d", "{\"server_id\":\"srv_d\"}");
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .get("/webhooks/" + id)
                                    .jsonPath()
                                    .getString("status"))
                            .isEqualTo("disabled"));

            // while disabled: two it misses, one its filter does not want, one that will lie before the window
            String missed1 = events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.created", "srv_m1", "{\"server_id\":\"srv_m1\"}");
            String missed2 = events.publish(
                    Topics.COMPUTE_EVENTS,
                    account,
                    "server.provisioned",
                    "srv_m2",
                    TestEvents.serverProvisioned("srv_m2", 2));
            String unwanted = events.publish(
                    Topics.CLUSTER_EVENTS,
                    account,
                    "cluster.node.joined",
                    "cls_m3",
                    "{\"cluster_id\":\"cls_m3\",\"node_id\":\"node-1\",\"pool\":\"default\"}");
            String before = events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.created", "srv_m4", "{\"server_id\":\"srv_m4\"}");
            watcher.await(
                    list -> list.stream()
                            .map(r -> r.header("webhook-id"))
                            .toList()
                            .containsAll(List.of(missed1, missed2, unwanted, before)),
                    WAIT,
                    "the events sent while the endpoint was disabled");
            assertThat(receiver.count()).as("a disabled endpoint gets nothing").isEqualTo(2);
            assertThat(Rows.value(dataSource, "SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ?", id))
                    .isEqualTo(2L);
            Rows.update(
                    dataSource,
                    "UPDATE webhook_event SET occurred_at = now() - interval '2 hours' WHERE event_id = ?",
                    before);
            String since = Instant.now().minus(Duration.ofHours(1)).toString();

            Response whileDisabled =
                    Api.as(account).body(Map.of("since", since)).post("/webhooks/" + id + "/recover");
            assertThat(whileDisabled.statusCode()).as(whileDisabled.asString()).isEqualTo(409);

            receiver.defaultReply(Reply.ok());
            Api.as(account).post("/webhooks/" + id + "/enable").then().statusCode(200);
            Response recovered = Api.as(account).body(Map.of("since", since)).post("/webhooks/" + id + "/recover");
            assertThat(recovered.statusCode()).as(recovered.asString()).isEqualTo(202);
            assertThat(recovered.jsonPath().getInt("recovered")).isEqualTo(3);

            List<ReceivedRequest> got = receiver.awaitCount(5, WAIT);
            List<ReceivedRequest> resent = got.subList(2, got.size());
            assertThat(resent)
                    .extracting(r -> r.header("webhook-id"))
                    .containsExactlyInAnyOrder(dead, missed1, missed2);
            for (ReceivedRequest r : resent) {
                byte[] stored = storedBody(r.header("webhook-id"));
                assertThat(r.body()).isEqualTo(stored);
                assertThat(EventEnvelope.parse(r.bodyAsString()).id()).isEqualTo(r.header("webhook-id"));
                // and what the Events API returns for it
                assertThat(Api.as(account).get("/events").asString())
                        .contains(new String(stored, StandardCharsets.UTF_8));
            }
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .queryParam("status", "delivered")
                                    .get("/webhooks/" + id + "/deliveries")
                                    .jsonPath()
                                    .getList("data"))
                            .hasSize(4));
            // again: everything of the window is delivered now, nothing is queued twice
            Response again = Api.as(account).body(Map.of("since", since)).post("/webhooks/" + id + "/recover");
            assertThat(again.jsonPath().getInt("recovered")).isZero();
            assertThat(receiver.received())
                    .extracting(r -> r.header("webhook-id"))
                    .containsExactlyInAnyOrder(delivered, dead, dead, missed1, missed2)
                    .doesNotContain(unwanted, before);
        }
    }

    @Test
    void testEventsAreNeverRecovered() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            receiver.defaultReply(Reply.status(500));
            String id = Api.createEndpoint(account, receiver.url("/t"), List.of("*"))
                    .path("id");
            String delivery = Api.as(account)
                    .body("{}")
                    .post("/webhooks/" + id + "/test")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .get("/webhooks/" + id + "/deliveries/" + delivery)
                                    .jsonPath()
                                    .getString("status"))
                            .isEqualTo("dead"));
            receiver.defaultReply(Reply.ok());
            Response recovered = Api.as(account)
                    .body(Map.of(
                            "since", Instant.now().minus(Duration.ofHours(1)).toString()))
                    .post("/webhooks/" + id + "/recover");
            assertThat(recovered.statusCode()).isEqualTo(202);
            assertThat(recovered.jsonPath().getInt("recovered")).isZero();
            assertThat(Api.as(account)
                            .get("/webhooks/" + id + "/deliveries/" + delivery)
                            .jsonPath()
                            .getString("status"))
                    .isEqualTo("dead");
        }
    }

    @Test
    void recoverRefusesBadWindowsAndAnotherAccountsEndpoint() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String stranger = ResourceIds.newId(ResourceIds.ACCOUNT);
        String id = Api.createEndpoint(account, "http://127.0.0.1:9/r", List.of("*"))
                .path("id");
        String path = "/webhooks/" + id + "/recover";
        Instant now = Instant.now();
        assertField(Api.as(account).post(path), "since");
        assertField(Api.as(account).body("{}").post(path), "since");
        assertField(Api.as(account).body(Map.of("since", "yesterday")).post(path), "since");
        assertField(
                Api.as(account)
                        .body(Map.of("since", now.minus(Duration.ofDays(31)).toString()))
                        .post(path),
                "since");
        assertField(
                Api.as(account)
                        .body(Map.of(
                                "since",
                                now.minus(Duration.ofHours(1)).toString(),
                                "until",
                                now.minus(Duration.ofHours(2)).toString()))
                        .post(path),
                "until");
        assertField(
                Api.as(account)
                        .body(Map.of(
                                "since",
                                now.minus(Duration.ofHours(1)).toString(),
                                "until",
                                now.plus(Duration.ofHours(1)).toString()))
                        .post(path),
                "until");
        Response unknown = Api.as(account)
                .body(Map.of("since", now.minus(Duration.ofHours(1)).toString(), "colour", "red"))
                .post(path);
        assertThat(unknown.statusCode()).isEqualTo(400);

        Map<String, String> window =
                Map.of("since", now.minus(Duration.ofHours(1)).toString());
        Response theirs = Api.as(stranger).body(window).post(path);
        assertThat(theirs.statusCode()).isEqualTo(404);
        assertThat(theirs.contentType()).startsWith("application/problem+json");
        Response readOnly = RestAssured.given()
                .auth()
                .oauth2(IdentityTokens.mint(account, "starter", Set.of("read")))
                .contentType("application/json")
                .body(window)
                .post(path);
        assertThat(readOnly.statusCode()).isEqualTo(403);
        Response ok = Api.as(account).body(window).post(path);
        assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(202);
        assertThat(ok.jsonPath().getInt("recovered")).isZero();
    }

    private byte[] storedBody(String eventId) throws Exception {
        return (byte[]) Rows.value(dataSource, "SELECT body FROM webhook_event WHERE event_id = ?", eventId);
    }

    private static void assertField(Response r, String field) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("errors[0].field")).isEqualTo(field);
    }
}
