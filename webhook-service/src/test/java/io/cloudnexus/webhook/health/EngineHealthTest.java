package io.cloudnexus.webhook.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.delivery.ResultWriter;
import io.cloudnexus.webhook.events.EventConsumer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Liveness and readiness follow the engine's threads: a dead result writer is reported DOWN with the reason, a
 * stopped event consumer makes the service not ready, and UP again once it runs; the SmallRye Kafka connector's
 * checks are part of both. Its own application instance (short stall timeout), because it
 * stops the engine's threads.
 */
@QuarkusTest
@TestProfile(EngineHealthTest.ShortStall.class)
@ServiceTest
class EngineHealthTest {

    public static class ShortStall implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cloudnexus.webhooks.health.stall-timeout", "2s");
        }
    }

    @Inject
    ResultWriter writer;

    @Inject
    EventConsumer consumer;

    private static Map<String, Object> check(Response response, String name) {
        JsonPath json = response.jsonPath();
        return json.getMap("checks.find { it.name == '" + name + "' }");
    }

    @Test
    void aDeadResultWriterIsReportedDownUntilItRunsAgain() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> given().get("/q/health/live").statusCode() == 200);
        writer.stop();
        try {
            Response live = given().get("/q/health/live");
            assertThat(live.statusCode()).isEqualTo(503);
            Map<String, Object> threads = check(live, "webhook engine threads");
            assertThat(threads.get("status")).isEqualTo("DOWN");
            assertThat(threads.get("data").toString()).contains("the result writer thread is not running");
        } finally {
            writer.start();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> given().get("/q/health/live").statusCode() == 200);
    }

    @Test
    void aStoppedConsumerIsNotReadyAndTheKafkaConnectorIsPartOfReadinessAndLiveness() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        Response ready = given().get("/q/health/ready");
        assertThat(check(ready, "webhook engine progress").get("data").toString())
                .contains("consumer=running");
        assertThat(ready.asString()).contains("SmallRye Reactive Messaging").contains(EventConsumer.CHANNEL);
        assertThat(given().get("/q/health/live").asString())
                .contains("SmallRye Reactive Messaging")
                .contains(EventConsumer.CHANNEL);
        // the connector's consumer is bound to Micrometer (Kafka client metrics) next to the engine's own lag gauge
        assertThat(given().get("/q/metrics").asString())
                .contains("kafka_consumer_fetch_manager_records_consumed_total")
                .contains("webhook_consumer_lag");
        consumer.stop();
        try {
            Response stopped = given().get("/q/health/ready");
            assertThat(stopped.statusCode()).isEqualTo(503);
            assertThat(check(stopped, "webhook engine progress").get("data").toString())
                    .contains("the event consumer is stopped");
        } finally {
            consumer.start();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
    }
}
