package io.cloudnexus.webhook.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.webhook.delivery.ResultWriter;
import io.cloudnexus.webhook.events.EventConsumer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Liveness and readiness follow the engine's threads: a dead result writer or Kafka consumer is reported DOWN
 * with the reason, and UP again once it runs. Its own application instance (short stall timeout), because it
 * stops the engine's threads.
 */
@QuarkusTest
@TestProfile(EngineHealthTest.ShortStall.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
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
    void aDeadConsumerIsReportedDownLiveAndNotReady() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        Map<String, Object> progress = check(given().get("/q/health/ready"), "webhook engine progress");
        assertThat(progress.get("data").toString()).contains("consumer_last_poll_seconds_ago=0");
        consumer.stop();
        try {
            Response live = given().get("/q/health/live");
            assertThat(live.statusCode()).isEqualTo(503);
            assertThat(check(live, "webhook engine threads").get("data").toString())
                    .contains("the Kafka consumer thread is not running");
            Response ready = given().get("/q/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(check(ready, "webhook engine progress").get("data").toString())
                    .contains("the Kafka consumer is not running");
        } finally {
            consumer.start();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/live").statusCode() == 200);
    }
}
