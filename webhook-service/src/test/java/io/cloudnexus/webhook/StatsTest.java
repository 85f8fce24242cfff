package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * GET /webhooks/{id}/stats: attempts, 2xx deliveries, failures, success rate and latency percentiles per bucket and
 * for the window (every bucket present, aligned, oldest first), and the backlog of pending, retrying and dead
 * deliveries; another account's endpoint is a 404, an unknown window a 400 naming the allowed ones.
 */
@QuarkusTest
@ServiceTest
class StatsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    DataSource dataSource;

    @Test
    void attemptsOfASucceedingAndAFailingReceiverGiveTheirCountsRatesPercentilesAndBacklog() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver good = RecordingReceiver.start();
                RecordingReceiver bad = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            good.script(Reply.status(503)); // one failed attempt, retried with success
            bad.defaultReply(Reply.status(500)); // every attempt fails: 5 each, then dead
            String goodId = Api.createEndpoint(account, good.url("/ok"), List.of("server.provisioned"))
                    .path("id");
            String badId = Api.createEndpoint(account, bad.url("/fail"), List.of("server.provisioned"))
                    .path("id");
            Instant before = Instant.now();
            for (int i = 1; i <= 2; i++) {
                events.publish(
                        Topics.COMPUTE_EVENTS,
                        account,
                        "server.provisioned",
                        "srv_stats" + i,
                        TestEvents.serverProvisioned("srv_stats" + i, i));
            }
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .queryParam("status", "delivered")
                                    .get("/webhooks/" + goodId + "/deliveries")
                                    .jsonPath()
                                    .getList("data"))
                            .hasSize(2));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .get("/webhooks/" + badId + "/dead-letters")
                                    .jsonPath()
                                    .getList("data"))
                            .hasSize(2));

            JsonPath ok = stats(account, goodId, "1h");
            assertThat(ok.getString("endpoint_id")).isEqualTo(goodId);
            assertThat(ok.getString("window")).isEqualTo("1h");
            assertThat(ok.getInt("bucket_seconds")).isEqualTo(60);
            assertThat(ok.getList("buckets")).hasSize(60);
            assertThat(ok.getInt("totals.attempts")).isEqualTo(3);
            assertThat(ok.getInt("totals.delivered")).isEqualTo(2);
            assertThat(ok.getInt("totals.failed")).isEqualTo(1);
            assertThat(ok.getDouble("totals.success_rate")).isCloseTo(2.0 / 3, within(1e-6));
            assertThat(ok.getLong("totals.p50_ms")).isNotNegative();
            assertThat(ok.getLong("totals.p95_ms")).isGreaterThanOrEqualTo(ok.getLong("totals.p50_ms"));
            assertThat(ok.getMap("backlog")).isEqualTo(Map.of("pending", 0, "retrying", 0, "dead", 0));
            assertAttemptsInTheCurrentBuckets(ok, before, 3, 2);

            JsonPath failing = stats(account, badId, "1h");
            assertThat(failing.getInt("totals.attempts")).isEqualTo(10);
            assertThat(failing.getInt("totals.delivered")).isZero();
            assertThat(failing.getInt("totals.failed")).isEqualTo(10);
            assertThat(failing.getDouble("totals.success_rate")).isZero();
            assertThat(failing.getLong("totals.p95_ms")).isGreaterThanOrEqualTo(failing.getLong("totals.p50_ms"));
            assertThat(failing.getMap("backlog")).isEqualTo(Map.of("pending", 0, "retrying", 0, "dead", 2));
            assertAttemptsInTheCurrentBuckets(failing, before, 10, 0);

            // the day: 96 quarter hours, the same totals
            JsonPath day = stats(account, goodId, "24h");
            assertThat(day.getString("window")).isEqualTo("24h");
            assertThat(day.getInt("bucket_seconds")).isEqualTo(900);
            assertThat(day.getList("buckets")).hasSize(96);
            assertThat(day.getInt("totals.attempts")).isEqualTo(3);
            assertThat(day.getInt("totals.delivered")).isEqualTo(2);
            assertAttemptsInTheCurrentBuckets(day, before, 3, 2);

            // a delivery due again after a failure and one not attempted yet (held by a replica for an hour, so
            // nothing sends them meanwhile) join the dead ones in the backlog
            Rows.delivery(
                    dataSource,
                    Rows.event(dataSource, account, Instant.now()),
                    badId,
                    account,
                    "retrying",
                    Instant.now(),
                    null,
                    "stats-test-elsewhere");
            Rows.delivery(
                    dataSource,
                    Rows.event(dataSource, account, Instant.now()),
                    badId,
                    account,
                    "pending",
                    Instant.now(),
                    null,
                    "stats-test-elsewhere");
            assertThat(stats(account, badId, "1h").getMap("backlog"))
                    .isEqualTo(Map.of("pending", 1, "retrying", 1, "dead", 2));
        }
    }

    @Test
    void anEndpointWithoutAttemptsHasEveryBucketOfTheWindowWithZeros() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String id = endpoint(account, "/quiet");
        for (String window : List.of("1h", "24h")) {
            Instant before = Instant.now();
            JsonPath empty = stats(account, id, window);
            Instant after = Instant.now();
            int size = window.equals("1h") ? 60 : 900;
            int count = window.equals("1h") ? 60 : 96;
            assertThat(empty.getInt("bucket_seconds")).isEqualTo(size);
            List<String> starts = empty.getList("buckets.start", String.class);
            assertThat(starts).hasSize(count);
            for (int i = 0; i < count; i++) {
                Instant start = Instant.parse(starts.get(i));
                assertThat(start.getEpochSecond() % size).isZero();
                if (i > 0) {
                    assertThat(start).isEqualTo(Instant.parse(starts.get(i - 1)).plusSeconds(size));
                }
            }
            Instant last = Instant.parse(starts.get(count - 1));
            assertThat(last).isBeforeOrEqualTo(after);
            assertThat(last.plusSeconds(size)).isAfter(before);
            assertThat(empty.getList("buckets.attempts", Integer.class))
                    .hasSize(count)
                    .containsOnly(0);
            assertThat(empty.getList("buckets.delivered", Integer.class)).containsOnly(0);
            assertThat(empty.getList("buckets.failed", Integer.class)).containsOnly(0);
            List<Map<String, Object>> buckets = empty.getList("buckets");
            assertThat(buckets)
                    .allSatisfy(b -> assertThat(b).containsEntry("p50_ms", null).containsEntry("p95_ms", null));
            assertThat(empty.<String, Object>getMap("totals"))
                    .containsEntry("attempts", 0)
                    .containsEntry("delivered", 0)
                    .containsEntry("failed", 0)
                    .containsEntry("success_rate", null)
                    .containsEntry("p50_ms", null)
                    .containsEntry("p95_ms", null);
            assertThat(empty.getMap("backlog")).isEqualTo(Map.of("pending", 0, "retrying", 0, "dead", 0));
        }
        // no window: the last hour
        assertThat(Api.as(account).get("/webhooks/" + id + "/stats").jsonPath().getString("window"))
                .isEqualTo("1h");
    }

    @Test
    void anotherAccountsEndpointIsNotFoundAndAnUnknownWindowIsABadRequest() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String stranger = ResourceIds.newId(ResourceIds.ACCOUNT);
        String id = endpoint(account, "/mine");

        Response foreign = Api.as(stranger).get("/webhooks/" + id + "/stats");
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        assertThat(foreign.jsonPath().getString("type")).endsWith("/not-found");
        assertThat(Api.as(account).get("/webhooks/whk_nosuchendpoint/stats").statusCode())
                .isEqualTo(404);

        Response bad = Api.as(account).queryParam("window", "7d").get("/webhooks/" + id + "/stats");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.jsonPath().getString("errors[0].field")).isEqualTo("window");
        assertThat(bad.jsonPath().getList("errors[0].valid_values", String.class))
                .containsExactly("1h", "24h");
        assertThat(bad.jsonPath().getString("detail")).contains("1h", "24h");
    }

    /** An endpoint (to a port nothing listens on: it gets no event in these tests). */
    private static String endpoint(String account, String path) {
        Response created = Api.createEndpoint(account, "http://127.0.0.1:1" + path, List.of("server.*"));
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        return created.path("id");
    }

    private static JsonPath stats(String account, String endpointId, String window) {
        Response response = Api.as(account).queryParam("window", window).get("/webhooks/" + endpointId + "/stats");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response.jsonPath();
    }

    /**
     * The attempts are in the buckets from the one {@code before} fell in to the last (the current) one, which hold
     * all of them, each with its percentiles; the buckets add up to the totals.
     */
    private static void assertAttemptsInTheCurrentBuckets(JsonPath stats, Instant before, int attempts, int delivered) {
        List<Map<String, Object>> buckets = stats.getList("buckets");
        long size = stats.getLong("bucket_seconds");
        long sinceBefore = 0;
        long deliveredSinceBefore = 0;
        for (Map<String, Object> b : buckets) {
            Instant start = Instant.parse((String) b.get("start"));
            int n = (Integer) b.get("attempts");
            assertThat((Integer) b.get("delivered") + (Integer) b.get("failed")).isEqualTo(n);
            if (n > 0) {
                assertThat(start.plusSeconds(size)).isAfter(before);
                assertThat(b.get("p50_ms")).isNotNull();
                assertThat(((Number) b.get("p95_ms")).longValue())
                        .isGreaterThanOrEqualTo(((Number) b.get("p50_ms")).longValue());
                sinceBefore += n;
                deliveredSinceBefore += (Integer) b.get("delivered");
            } else {
                assertThat(b.get("p50_ms")).isNull();
            }
        }
        assertThat(sinceBefore).isEqualTo(attempts);
        assertThat(deliveredSinceBefore).isEqualTo(delivered);
        Map<String, Object> last = buckets.get(buckets.size() - 1);
        assertThat(Instant.parse((String) last.get("start")).plusSeconds(size))
                .isAfter(Instant.now().minusSeconds(5));
    }
}
