package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.AttemptResult;
import io.cloudnexus.webhook.delivery.DeliveryMetrics;
import io.cloudnexus.webhook.delivery.DeliveryTask;
import io.cloudnexus.webhook.delivery.DeliveryUpdate;
import io.cloudnexus.webhook.delivery.Dispatcher;
import io.cloudnexus.webhook.delivery.EndpointIndex;
import io.cloudnexus.webhook.delivery.EngineIdentity;
import io.cloudnexus.webhook.delivery.LeaseKeeper;
import io.cloudnexus.webhook.delivery.Outcome;
import io.cloudnexus.webhook.delivery.ResultWriter;
import io.cloudnexus.webhook.delivery.RetryPolicy;
import io.cloudnexus.webhook.delivery.RetryScheduler;
import io.cloudnexus.webhook.outbound.HttpSender;
import io.cloudnexus.webhook.repository.DeliveryRepository;
import io.cloudnexus.webhook.repository.EngineRepository;
import io.cloudnexus.webhook.repository.IngestRepository;
import io.cloudnexus.webhook.repository.OutcomeRepository;
import io.cloudnexus.webhook.tracing.DeliveryTracing;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.Vertx;

/**
 * The engine's claims, leases, takeover, per-endpoint caps, cross-replica rate limits and memory bounds, with
 * short leases and small caps ({@link LeasesProfile}); a second engine (own identity, dispatcher, scheduler and
 * heartbeat) runs in the same process where two replicas are needed.
 */
@QuarkusTest
@TestProfile(LeasesProfile.class)
@ServiceTest
class EngineLeasesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    DataSource dataSource;

    @Inject
    Dispatcher dispatcher;

    @Inject
    EngineIdentity identity;

    @Inject
    EndpointIndex index;

    @Inject
    HttpSender sender;

    @Inject
    RetryPolicy policy;

    @Inject
    ResultWriter writer;

    @Inject
    DeliveryMetrics metrics;

    @Inject
    Vertx vertx;

    @Inject
    WebhookConfig config;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    EngineRepository engines;

    @Inject
    IngestRepository ingest;

    @Inject
    OutcomeRepository outcomes;

    /** Defect 4: a slow-but-successful endpoint holds at most its cap, is never sent twice, and blocks nobody. */
    @Test
    void aSlowEndpointHoldsAtMostItsCapIsNeverClaimedTwiceAndDoesNotDelayAnotherAccount() throws Exception {
        String slowAccount = ResourceIds.newId(ResourceIds.ACCOUNT);
        String otherAccount = ResourceIds.newId(ResourceIds.ACCOUNT);
        int backlog = 80; // more than max-queued (50): before the fix one endpoint paused the consumer for all
        try (RecordingReceiver slow = RecordingReceiver.start();
                RecordingReceiver other = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            slow.defaultReply(Reply.ok().after(Duration.ofMillis(700)));
            String slowId = Api.createEndpoint(slowAccount, slow.url("/slow"), List.of("*"))
                    .path("id");
            Api.createEndpoint(otherAccount, other.url("/other"), List.of("*"));
            AtomicInteger maxHeld = new AtomicInteger();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(
                    () -> maxHeld.accumulateAndGet(dispatcher.held(slowId), Math::max), 0, 20, TimeUnit.MILLISECONDS);
            try {
                for (int i = 0; i < backlog; i++) {
                    events.publish(
                            Topics.COMPUTE_EVENTS,
                            slowAccount,
                            "server.provisioned",
                            "srv_slow" + i,
                            TestEvents.serverProvisioned("srv_slow" + i, i));
                }
                // 80 x 700 ms with 8 in flight: ~7 s, more than the 4 s lease, so the leases must be renewed
                await().atMost(WAIT).until(() -> slow.count() >= 8);
                Instant published = Instant.now();
                for (int i = 0; i < 10; i++) {
                    events.publish(
                            Topics.COMPUTE_EVENTS,
                            otherAccount,
                            "server.provisioned",
                            "srv_other" + i,
                            TestEvents.serverProvisioned("srv_other" + i, i));
                }
                other.awaitCount(10, Duration.ofSeconds(5));
                assertThat(Duration.between(published, Instant.now())).isLessThan(Duration.ofSeconds(5));
                assertThat(slow.count())
                        .as("the other account was served while the slow backlog is still held")
                        .isLessThan(backlog);

                List<ReceivedRequest> got = slow.awaitCount(backlog, WAIT);
                await().atMost(WAIT)
                        .untilAsserted(() -> assertThat(count(
                                        "SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ? AND status = 'delivered'",
                                        slowId))
                                .isEqualTo((long) backlog));
                // a lease period later still no second copy of anything
                Thread.sleep(config.scheduler().lease().toMillis() + 500);
                got = slow.received();
                Set<String> ids = got.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
                assertThat(got).as("each event exactly once").hasSize(backlog);
                assertThat(ids).hasSize(backlog);
                assertThat(maxHeld.get()).isBetween(1, LeasesProfile.MAX_HELD_PER_ENDPOINT);
                assertThat(count("SELECT max(attempts) FROM webhook_delivery WHERE endpoint_id = ?", slowId))
                        .isEqualTo(1L);
            } finally {
                sampler.shutdownNow();
            }
        }
    }

    /**
     * Defect 4 (claims): one endpoint's backlog cannot fill a claim batch. The claim takes each endpoint's due
     * deliveries only up to the room its lane has, so a lane that keeps draining (a breaker-open endpoint defers
     * at its token rate) no longer gets batch after batch of its own rows, each mostly released again, while
     * the other endpoints' newer rows wait. Before, the batch was the oldest rows of all endpoints.
     */
    @Test
    void aClaimTakesEachEndpointsDeliveriesOnlyUpToItsLanesRoom() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String holder = "test-holder-" + UUID.randomUUID();
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            String backlogged = Api.createEndpoint(account, receiver.url("/backlogged"), List.of("*"))
                    .path("id");
            String other = Api.createEndpoint(account, receiver.url("/other"), List.of("*"))
                    .path("id");
            String third = Api.createEndpoint(account, receiver.url("/third"), List.of("*"))
                    .path("id");
            // held by a live replica, so this engine's own scheduler leaves them alone; the claims below pass a
            // negative dead-after, for which every holder counts as dead
            engine(holder, "now()");
            heartbeats.scheduleAtFixedRate(() -> heartbeat(holder), 0, 100, TimeUnit.MILLISECONDS);
            insertDeliveries(account, backlogged, 40, "pending", holder, "1 hour", 0, 1); // the oldest
            Thread.sleep(5); // a later next_attempt_at for the others
            insertDeliveries(account, other, 5, "pending", holder, "1 hour", 0, 1);
            insertDeliveries(account, third, 5, "pending", holder, "1 hour", 0, 1);

            List<DeliveryTask> claimed = deliveries.claimDue(
                    "test-claimer-" + UUID.randomUUID(),
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(-1),
                    Map.of(backlogged, 3, third, 0),
                    100,
                    20);
            Map<String, Long> byEndpoint =
                    claimed.stream().collect(Collectors.groupingBy(DeliveryTask::endpointId, Collectors.counting()));
            assertThat(byEndpoint)
                    .as("the backlogged lane's room (3), all 5 of the lane-less endpoint, none of the full lane")
                    .isEqualTo(Map.of(backlogged, 3L, other, 5L));
        } finally {
            heartbeats.shutdownNow();
            update("DELETE FROM webhook_delivery WHERE account_id = ?", account);
        }
    }

    /** Defect 5 and 12b: a dead replica's leases are taken over within seconds; a live one's are not. */
    @Test
    void aDeadReplicasLeasesAreTakenOverWithinSecondsAndALiveReplicasAreNot() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String dead = "test-dead-" + UUID.randomUUID();
        String live = "test-live-" + UUID.randomUUID();
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            String endpointId = Api.createEndpoint(account, receiver.url("/r"), List.of("*"))
                    .path("id");
            engine(dead, "now()");
            engine(live, "now()");
            heartbeats.scheduleAtFixedRate(() -> heartbeat(live), 0, 100, TimeUnit.MILLISECONDS);
            // both replicas hold 5 deliveries on a long lease; the dead one had started their first attempt
            Instant died = Instant.now();
            Set<String> deadEvents = insertDeliveries(account, endpointId, 5, "pending", dead, "1 hour", 0, 1);
            Set<String> liveEvents = insertDeliveries(account, endpointId, 5, "pending", live, "1 hour", 0, 1);

            List<ReceivedRequest> got = receiver.awaitCount(5, Duration.ofSeconds(10));
            Duration takeover = Duration.between(died, got.get(0).receivedAt());
            Duration deadAfter = config.scheduler().deadAfter();
            assertThat(takeover)
                    .as("taken over once the heartbeat is older than dead-after (%s)", deadAfter)
                    .isBetween(deadAfter.minusMillis(100), deadAfter.plusSeconds(5));
            assertThat(got).extracting(r -> r.header("webhook-id")).containsExactlyInAnyOrderElementsOf(deadEvents);

            Thread.sleep(deadAfter.toMillis() + 500); // past dead-after again: a live replica's work stays its own
            assertThat(receiver.received())
                    .extracting(r -> r.header("webhook-id"))
                    .as("the live replica's deliveries are left alone")
                    .doesNotContainAnyElementsOf(liveEvents)
                    .hasSize(5);

            // 12b: the attempt the dead replica started and never recorded is counted (and visible as a gap)
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(count(
                                    "SELECT count(*) FROM webhook_delivery "
                                            + "WHERE endpoint_id = ? AND status = 'delivered' AND attempts = 2",
                                    endpointId))
                            .isEqualTo(5L));
            JsonPath delivered = Api.as(account)
                    .queryParam("status", "delivered")
                    .get("/webhooks/" + endpointId + "/deliveries")
                    .jsonPath();
            String deliveryId = delivered.getString("data[0].id");
            assertThat(delivered.getInt("data[0].attempts")).isEqualTo(2);
            JsonPath attempts = Api.as(account)
                    .get("/webhooks/" + endpointId + "/deliveries/" + deliveryId + "/attempts")
                    .jsonPath();
            assertThat(attempts.getList("attempt", Integer.class)).containsExactly(2);
        } finally {
            heartbeats.shutdownNow();
            update("DELETE FROM webhook_delivery WHERE lease_owner = ?", live);
            update("DELETE FROM webhook_engine WHERE id = ? OR id = ?", live, dead);
        }
    }

    /**
     * A sent delivery whose outcome the result writer has not committed yet keeps its lease: with the writer held up
     * for more than two leases (the attempts' table locked against inserts, where the writer's transaction starts),
     * nothing is claimed and sent again; once the writer goes on, every delivery is recorded at its first attempt.
     * Before, a delivery stopped being renewed as soon as its outcome was queued, so a lagging writer (a full
     * queue on a loaded machine) turned into a second copy of each delivery when its lease expired.
     */
    @Test
    void aDeliveryWhoseOutcomeIsNotWrittenYetKeepsItsLease() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        int n = 5;
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            String endpointId = Api.createEndpoint(account, receiver.url("/held-writer"), List.of("*"))
                    .path("id");
            try (Connection lock = dataSource.getConnection()) {
                lock.setAutoCommit(false);
                try (var st = lock.createStatement()) {
                    st.execute("LOCK TABLE webhook_attempt IN SHARE MODE");
                }
                for (int i = 0; i < n; i++) {
                    events.publish(
                            Topics.COMPUTE_EVENTS,
                            account,
                            "server.provisioned",
                            "srv_held" + i,
                            TestEvents.serverProvisioned("srv_held" + i, i));
                }
                receiver.awaitCount(n, WAIT);
                // two leases and more, while the outcomes wait for the writer: no delivery is sent twice
                Duration twoLeases = config.scheduler().lease().multipliedBy(2).plusSeconds(1);
                await().during(twoLeases)
                        .atMost(twoLeases.plusSeconds(5))
                        .untilAsserted(() -> assertThat(receiver.count())
                                .as("deliveries sent, some again while their outcomes waited for the writer")
                                .isEqualTo(n));
                lock.commit();
            }
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(count(
                                    "SELECT count(*) FROM webhook_delivery WHERE endpoint_id = ? AND status = 'delivered'",
                                    endpointId))
                            .isEqualTo((long) n));
            assertThat(receiver.count()).as("each event sent once").isEqualTo(n);
            assertThat(count("SELECT max(attempts) FROM webhook_delivery WHERE endpoint_id = ?", endpointId))
                    .isEqualTo(1L);
        }
    }

    /** Defect 6: two engines share an endpoint's rate limit (each gets limit / live replicas). */
    @Test
    void theRateLimitHoldsAcrossTwoEngines() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        int limit = 40;
        int n = 160;
        EngineIdentity second = new EngineIdentity("test-second-" + UUID.randomUUID());
        Dispatcher dispatcher2 = new Dispatcher(
                index, sender, policy, writer, metrics, vertx, config, deliveries, second, DeliveryTracing.off());
        RetryScheduler scheduler2 = new RetryScheduler(deliveries, dispatcher2, second, config);
        LeaseKeeper keeper2 = new LeaseKeeper(engines, deliveries, dispatcher2, writer, second, config);
        ScheduledExecutorService jobs = Executors.newScheduledThreadPool(2);
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            Response created = Api.as(account)
                    .body(Map.of("url", receiver.url("/limited"), "events", List.of("*"), "rate_limit", limit))
                    .post("/webhooks");
            assertThat(created.statusCode()).isEqualTo(201);
            String endpointId = created.path("id");
            keeper2.heartbeat();
            jobs.scheduleWithFixedDelay(keeper2::heartbeat, 200, 200, TimeUnit.MILLISECONDS);
            jobs.scheduleWithFixedDelay(keeper2::renew, 400, 400, TimeUnit.MILLISECONDS);
            await().atMost(WAIT).until(() -> identity.liveReplicas() == 2 && second.liveReplicas() == 2);
            jobs.scheduleWithFixedDelay(scheduler2::claimDue, 0, 50, TimeUnit.MILLISECONDS);

            AtomicInteger heldBySecond = new AtomicInteger();
            jobs.scheduleAtFixedRate(
                    () -> heldBySecond.accumulateAndGet(dispatcher2.held(endpointId), Math::max),
                    0,
                    20,
                    TimeUnit.MILLISECONDS);
            insertDeliveries(account, endpointId, n, "pending", null, null, 0, 0);
            List<ReceivedRequest> got = receiver.awaitCount(n, WAIT);
            assertThat(heldBySecond.get()).as("both engines took part").isGreaterThan(0);
            assertThat(dispatcher2.rate(endpointId)).isEqualTo(limit / 2.0);
            Instant first = got.get(0).receivedAt();
            Instant last = got.get(n - 1).receivedAt();
            // the first burst (one second of the limit, split between the engines) is free; the rest is paced
            double rate = (n - limit) / (Duration.between(first, last).toMillis() / 1000.0);
            System.out.printf("rate across two engines: %.1f/s (limit %d/s)%n", rate, limit);
            assertThat(rate).isLessThanOrEqualTo(limit * 1.15);

            // a clean stop of the second engine releases whatever it still holds
            jobs.shutdownNow();
            jobs.awaitTermination(5, TimeUnit.SECONDS);
            dispatcher2.stop(Duration.ofSeconds(3));
            keeper2.release();
            assertThat(count("SELECT count(*) FROM webhook_delivery WHERE lease_owner = ?", second.owner()))
                    .isZero();
            assertThat(count("SELECT count(*) FROM webhook_engine WHERE id = ?", second.owner()))
                    .isZero();
        } finally {
            jobs.shutdownNow();
            update("DELETE FROM webhook_engine WHERE id = ?", second.owner());
        }
    }

    /** Defect 7: N events x M endpoints above the chunk size are persisted in several transactions, completely. */
    @Test
    void anIngestAboveTheChunkSizeIsSplitIntoTransactionsAndComplete() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            List<String> endpointIds = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String id = Api.createEndpoint(account, receiver.url("/e" + i), List.of("*"))
                        .path("id");
                // paused: nothing claims (and so rewrites) the rows while the test inspects them
                Api.as(account).post("/webhooks/" + id + "/pause").then().statusCode(200);
                endpointIds.add(id);
            }
            List<IngestRepository.MatchedEvent> events = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String eventId = EventIds.newId();
                events.add(new IngestRepository.MatchedEvent(
                        eventId, account, "server.created", body(eventId), null, Instant.now(), null, endpointIds));
            }
            List<Integer> chunks = new ArrayList<>();
            IngestRepository.Ingested result = ingest.ingest(
                    events,
                    false,
                    identity.owner(),
                    config.scheduler().lease(),
                    config.consumer().ingestChunk(),
                    new IngestRepository.Sink() {
                        @Override
                        public int room(String endpointId) {
                            return 3; // 3 per endpoint and chunk may be held, the rest is committed unleased
                        }

                        @Override
                        public void committed(List<DeliveryTask> leased) {
                            chunks.add(leased.size());
                        }
                    });
            assertThat(result.created()).isEqualTo(120);
            assertThat(chunks)
                    .as("120 rows in chunks of %d", LeasesProfile.INGEST_CHUNK)
                    .hasSize(3);
            assertThat(chunks).allSatisfy(held -> assertThat(held).isLessThanOrEqualTo(12));
            String[] ids = endpointIds.toArray(String[]::new);
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "SELECT count(*), count(DISTINCT xmin::text), count(lease_owner) FROM webhook_delivery "
                                    + "WHERE endpoint_id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("text", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(120);
                    assertThat(rs.getInt(2)).as("transactions").isEqualTo(3);
                    assertThat(rs.getInt(3))
                            .as("leased (held) rows")
                            .isEqualTo(chunks.stream().mapToInt(i -> i).sum());
                }
            }
            // the same poll again (a crash before the offset commit) creates nothing
            assertThat(ingest.ingest(
                                    events,
                                    false,
                                    identity.owner(),
                                    config.scheduler().lease(),
                                    config.consumer().ingestChunk(),
                                    new IngestRepository.Sink() {
                                        @Override
                                        public int room(String endpointId) {
                                            return 0;
                                        }

                                        @Override
                                        public void committed(List<DeliveryTask> leased) {}
                                    })
                            .created())
                    .isZero();
        }
    }

    /** Defect 7: endpoints per account are capped; rate_limit is validated, shown and changeable. */
    @Test
    void endpointsPerAccountAreCappedAndTheRateLimitIsValidated() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String url = "http://127.0.0.1:9/hook";
        Response first = Api.createEndpoint(account, url, List.of("*"));
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.jsonPath().getInt("rate_limit"))
                .as("the default")
                .isEqualTo(config.lane().ratePerSecond());
        for (int i = 1; i < LeasesProfile.MAX_ENDPOINTS; i++) {
            assertThat(Api.createEndpoint(account, url, List.of("*")).statusCode())
                    .isEqualTo(201);
        }
        Response over = Api.createEndpoint(account, url, List.of("*"));
        assertThat(over.statusCode()).isEqualTo(409);
        assertThat(over.contentType()).startsWith("application/problem+json");
        assertThat(over.jsonPath().getString("detail")).contains(String.valueOf(LeasesProfile.MAX_ENDPOINTS));
        // another account is not affected
        assertThat(Api.createEndpoint(ResourceIds.newId(ResourceIds.ACCOUNT), url, List.of("*"))
                        .statusCode())
                .isEqualTo(201);

        String other = ResourceIds.newId(ResourceIds.ACCOUNT);
        for (Object bad : List.of(0, -5, 501, "fast")) {
            Response refused = Api.as(other)
                    .body(Map.of("url", url, "events", List.of("*"), "rate_limit", bad))
                    .post("/webhooks");
            assertThat(refused.statusCode()).as("rate_limit %s", bad).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        Response limited = Api.as(other)
                .body(Map.of("url", url, "events", List.of("*"), "rate_limit", 25))
                .post("/webhooks");
        assertThat(limited.statusCode()).isEqualTo(201);
        String id = limited.path("id");
        assertThat(Api.as(other).get("/webhooks/" + id).jsonPath().getInt("rate_limit"))
                .isEqualTo(25);
        Response patched = Api.as(other).body(Map.of("rate_limit", 500)).patch("/webhooks/" + id);
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(patched.jsonPath().getInt("rate_limit")).isEqualTo(500);
        assertThat(Api.as(other)
                        .body(Map.of("rate_limit", 501))
                        .patch("/webhooks/" + id)
                        .statusCode())
                .isEqualTo(400);
        assertThat(Api.as(other).get("/webhooks/" + id).jsonPath().getInt("rate_limit"))
                .isEqualTo(500);
    }

    /** Defect 7: a bulk replay of more dead letters than the batch size is set-based and the scheduler sends them. */
    @Test
    void aBulkReplayOfMoreDeadLettersThanTheBatchIsSetBasedAndDeliversAll() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        int n = 25;
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            String endpointId = Api.createEndpoint(account, receiver.url("/replayed"), List.of("*"))
                    .path("id");
            Api.as(account).post("/webhooks/" + endpointId + "/pause").then().statusCode(200);
            Set<String> events = insertDeliveries(account, endpointId, n, "dead", null, null, 5, 5);

            Response replay = Api.as(account).body("{}").post("/webhooks/" + endpointId + "/dead-letters/replay");
            assertThat(replay.statusCode()).isEqualTo(202);
            assertThat(replay.jsonPath().getInt("replayed")).isEqualTo(n);
            // marked due in the database, unleased, batch by batch (one transaction per batch of 10)
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "SELECT count(*), count(DISTINCT xmin::text), count(lease_owner) FROM webhook_delivery "
                                    + "WHERE endpoint_id = ? AND status = 'pending' AND failures = 0")) {
                ps.setString(1, endpointId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(n);
                    assertThat(rs.getInt(2)).as("statements").isEqualTo(3);
                    assertThat(rs.getInt(3)).as("held in memory by the replay").isZero();
                }
            }
            Api.as(account).post("/webhooks/" + endpointId + "/resume").then().statusCode(200);
            assertThat(receiver.awaitCount(n, WAIT))
                    .extracting(r -> r.header("webhook-id"))
                    .containsExactlyInAnyOrderElementsOf(events);
        }
    }

    /** Defect 7: a lane with nothing queued or in flight for lane.idle-eviction is dropped. */
    @Test
    void anIdleLaneIsEvicted() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            String endpointId = Api.createEndpoint(account, receiver.url("/idle"), List.of("*"))
                    .path("id");
            insertDeliveries(account, endpointId, 3, "pending", null, null, 0, 0);
            receiver.awaitCount(3, WAIT);
            assertThat(dispatcher.hasLane(endpointId)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> !dispatcher.hasLane(endpointId));
            // and a new delivery gets a new lane
            insertDeliveries(account, endpointId, 1, "pending", null, null, 0, 0);
            receiver.awaitCount(4, WAIT);
        }
    }

    /** Defect 4: an outcome from a replica that lost the lease is recorded as an attempt but changes nothing else. */
    @Test
    void anOutcomeFromAReplicaThatLostTheLeaseDoesNotOverwriteTheNewOwnersState() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String endpointId = Api.createEndpoint(account, "http://127.0.0.1:9/fenced", List.of("*"))
                .path("id");
        Api.as(account).post("/webhooks/" + endpointId + "/pause").then().statusCode(200);
        String newOwner = "test-new-owner-" + UUID.randomUUID();
        String eventId = insertDeliveries(account, endpointId, 1, "retrying", newOwner, "1 hour", 1, 2)
                .iterator()
                .next();
        long id = count("SELECT id FROM webhook_delivery WHERE event_id = ?", eventId);
        DeliveryTask stale =
                new DeliveryTask(id, eventId, "server.created", endpointId, new byte[0], 0, 0, 0, "test-old-owner");
        outcomes.write(
                List.of(
                        new DeliveryUpdate(
                                stale,
                                AttemptResult.error(Instant.now(), 12, "timeout", null),
                                new Outcome.Dead(Outcome.Dead.Reason.RETRIES_EXHAUSTED)),
                        DeliveryUpdate.deferred(stale, Instant.now())),
                config.failureWindow(),
                false);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT status, lease_owner, attempts, (SELECT count(*) FROM webhook_attempt a WHERE a.delivery_id = d.id) "
                                + "FROM webhook_delivery d WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("retrying");
                assertThat(rs.getString(2)).isEqualTo(newOwner);
                assertThat(rs.getInt(3)).isEqualTo(1);
                assertThat(rs.getInt(4))
                        .as("the stale attempt is still recorded")
                        .isEqualTo(1);
            }
        }
        // the owner's own outcome is written
        DeliveryTask owned =
                new DeliveryTask(id, eventId, "server.created", endpointId, new byte[0], 1, 1, 0, newOwner);
        outcomes.write(
                List.of(new DeliveryUpdate(
                        owned,
                        AttemptResult.error(Instant.now(), 12, "timeout", null),
                        new Outcome.Dead(Outcome.Dead.Reason.RETRIES_EXHAUSTED))),
                config.failureWindow(),
                true);
        assertThat(count(
                        "SELECT count(*) FROM webhook_delivery WHERE id = ? AND status = 'dead' AND attempts = 2 "
                                + "AND lease_owner IS NULL",
                        id))
                .isEqualTo(1L);
    }

    // --- helpers ---

    private static byte[] body(String eventId) {
        return ("{\"event\":\"server.created\",\"id\":\"" + eventId
                        + "\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Inserts n events and their deliveries to the endpoint; returns the event ids. */
    /**
     * The safety net behind "every held delivery is queued or being attempted": a delivery held by this replica but
     * in no lane (as a fault-suite run once showed, two deliveries were held and renewed until the replica stopped)
     * is released by the lease keeper within two renewals, claimed again and sent.
     */
    @Test
    void aHeldDeliveryInNoLaneIsReleasedAndSent() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            String endpointId = Api.createEndpoint(account, receiver.url("/orphan"), List.of("*"))
                    .path("id");
            String eventId = insertDeliveries(account, endpointId, 1, "pending", identity.owner(), "1 hour", 0, 1)
                    .iterator()
                    .next();
            long id = count("SELECT id FROM webhook_delivery WHERE event_id = ?", eventId);
            dispatcher.holdWithoutLane(new DeliveryTask(
                    id,
                    eventId,
                    "server.created",
                    endpointId,
                    body(eventId),
                    0,
                    0,
                    System.nanoTime(),
                    identity.owner()));
            assertThat(dispatcher.heldIds()).contains(id);

            List<ReceivedRequest> got = receiver.awaitCount(1, WAIT);
            assertThat(got.get(0).header("webhook-id")).isEqualTo(eventId);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(count(
                                    "SELECT count(*) FROM webhook_delivery WHERE id = ? AND status = 'delivered'", id))
                            .isEqualTo(1L));
            assertThat(dispatcher.heldIds()).doesNotContain(id);
        }
    }

    private Set<String> insertDeliveries(
            String account,
            String endpointId,
            int n,
            String status,
            String owner,
            String lease,
            int attempts,
            int started)
            throws SQLException {
        Set<String> ids = new java.util.LinkedHashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement event = c.prepareStatement(
                        "INSERT INTO webhook_event (event_id, account_id, type, body) VALUES (?, ?, 'server.created', ?)");
                PreparedStatement delivery = c.prepareStatement("INSERT INTO webhook_delivery (event_id, endpoint_id, "
                        + "account_id, event_type, status, attempts, failures, started_attempts, next_attempt_at, lease_owner, "
                        + "lease_until, finished_at) VALUES (?, ?, ?, 'server.created', ?, ?, ?, ?, now(), ?, "
                        + "now() + CAST(? AS interval), CASE WHEN ? = 'dead' THEN now() END)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                String eventId = EventIds.newId();
                ids.add(eventId);
                event.setString(1, eventId);
                event.setString(2, account);
                event.setBytes(3, body(eventId));
                event.executeUpdate();
                delivery.setString(1, eventId);
                delivery.setString(2, endpointId);
                delivery.setString(3, account);
                delivery.setString(4, status);
                delivery.setInt(5, attempts);
                delivery.setInt(6, attempts);
                delivery.setInt(7, started);
                delivery.setString(8, owner);
                delivery.setString(9, lease);
                delivery.setString(10, status);
                delivery.executeUpdate();
            }
            c.commit();
        }
        return ids;
    }

    private void engine(String id, String heartbeat) throws SQLException {
        update("INSERT INTO webhook_engine (id, heartbeat_at) VALUES (?, " + heartbeat + ")", id);
    }

    private void heartbeat(String id) {
        try {
            update("UPDATE webhook_engine SET heartbeat_at = now() WHERE id = ?", id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private long count(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
