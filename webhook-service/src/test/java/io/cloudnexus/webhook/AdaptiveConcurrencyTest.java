package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.Dispatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Each lane's bound on requests in flight adapts to its endpoint, end to end (Kafka, PostgreSQL, real HTTP
 * receivers): it grows above the initial 8 while the endpoint keeps answering at the same latency, and it is cut
 * when the endpoint starts failing or slowing down. The receivers answer after 50 ms, so the lane uses its limit
 * (the default rate limit, 200/s, needs more than 8 requests of 50 ms in flight). How far it grows depends on the
 * machine (the receiver's latency rises with its concurrency on a busy machine, which stops the growth), so the
 * tests assert only "above the initial 8" and "below where it was".
 */
@QuarkusTest
@ServiceTest
class AdaptiveConcurrencyTest {

    private static final Duration LATENCY = Duration.ofMillis(50);

    @Inject
    Dispatcher dispatcher;

    @Inject
    WebhookConfig config;

    @Test
    void aFastEndpointsLimitGrowsAboveTheInitialOneAndIsPublished() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            receiver.defaultReply(Reply.ok().after(LATENCY));
            String id = Api.createEndpoint(account, receiver.url("/fast"), List.of("server.*"))
                    .path("id");
            int initial = config.lane().concurrency().initial();
            publish(events, account, 400);

            await().atMost(Duration.ofSeconds(60)).until(() -> dispatcher.concurrencyLimit(id) > initial);
            String metrics = RestAssured.get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertThat(metrics.lines())
                    .anyMatch(l -> l.startsWith("webhook_lane_concurrency_limit{endpoint=\"" + id + "\"")
                            && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > initial);
            receiver.awaitCount(400, Duration.ofSeconds(60));
        }
    }

    @Test
    void anEndpointThatStartsFailingGetsItsLimitCut() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            receiver.defaultReply(Reply.ok().after(LATENCY));
            String id = Api.createEndpoint(account, receiver.url("/failing"), List.of("server.*"))
                    .path("id");
            int initial = config.lane().concurrency().initial();
            publish(events, account, 300);
            await().atMost(Duration.ofSeconds(60)).until(() -> dispatcher.concurrencyLimit(id) > initial);
            int peak = dispatcher.concurrencyLimit(id);

            receiver.defaultReply(Reply.status(503));
            publish(events, account, 100);
            // halved on the first round trip of 503s, again on the next (the breaker may then open: no more signal)
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> dispatcher.concurrencyLimit(id) >= 1 && dispatcher.concurrencyLimit(id) <= peak / 2);
        }
    }

    @Test
    void anEndpointThatSlowsDownGetsItsLimitCut() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            receiver.defaultReply(Reply.ok().after(LATENCY));
            String id = Api.createEndpoint(account, receiver.url("/slowing"), List.of("server.*"))
                    .path("id");
            int initial = config.lane().concurrency().initial();
            publish(events, account, 300);
            await().atMost(Duration.ofSeconds(60)).until(() -> dispatcher.concurrencyLimit(id) > initial);
            int peak = dispatcher.concurrencyLimit(id);

            // 8x the baseline: far above baseline * 2 + 10 ms, and well within the test profile's 1 s timeout
            receiver.defaultReply(Reply.ok().after(LATENCY.multipliedBy(8)));
            publish(events, account, 200);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> dispatcher.concurrencyLimit(id) >= 1 && dispatcher.concurrencyLimit(id) < peak);
        }
    }

    private static void publish(TestEvents events, String account, int n) {
        for (int i = 0; i < n; i++) {
            String server = "srv_ac" + (i % 16);
            events.publish(
                    Topics.COMPUTE_EVENTS,
                    account,
                    "server.provisioned",
                    server,
                    TestEvents.serverProvisioned(server, i));
        }
    }
}
