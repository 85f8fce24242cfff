package io.cloudnexus.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;

/** The engine's Prometheus metrics: outcomes, attempt latency histogram, queue depth by state, consumer lag. */
@QuarkusTest
@ServiceTest
class MetricsTest {

    @Test
    void publishesDeliveryMetrics() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            String id = Api.createEndpoint(account, receiver.url("/m"), List.of("*"))
                    .path("id");
            Api.as(account).body("{}").post("/webhooks/" + id + "/test");
            receiver.awaitCount(1, Duration.ofSeconds(20));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String metrics = given().get("/q/metrics").asString();
                assertThat(metrics).containsPattern("webhook_deliveries_total\\{outcome=\"delivered\"\\} [1-9]");
                assertThat(metrics)
                        .contains(
                                "webhook_attempt_seconds_bucket",
                                "webhook_attempt_seconds_count",
                                "webhook_queue_depth{state=\"pending\"}",
                                "webhook_queue_depth{state=\"dead\"}",
                                "webhook_queue_depth{state=\"in_memory\"}",
                                "webhook_consumer_lag");
                // no fault-tolerance meters: one set per endpoint's breaker, never removed, two registry look-ups
                // per attempt (application.properties)
                assertThat(metrics).doesNotContainPattern("(?m)^ft_");
            });
        }
    }
}
