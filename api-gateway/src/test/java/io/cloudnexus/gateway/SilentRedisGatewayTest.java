package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The gateway with {@code rate-limit.store=redis} pointed at a Redis that accepts connections and never
 * answers: every request is still answered promptly with the X-RateLimit-* headers (counted in memory),
 * and the breaker's state shows in {@code /q/health/well} and the metrics.
 */
@QuarkusTest
@GatewayTest
@TestProfile(SilentRedisGatewayTest.SilentRedis.class)
class SilentRedisGatewayTest {

    static final SilentServer SILENT = SilentServer.start();

    public static class SilentRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "cloudnexus.gateway.rate-limit.store",
                    "redis",
                    "quarkus.redis.hosts",
                    "redis://127.0.0.1:" + SILENT.port(),
                    "cloudnexus.gateway.rate-limit.redis-timeout",
                    "100ms",
                    "cloudnexus.gateway.rate-limit.redis-breaker-open-for",
                    "60s");
        }
    }

    @AfterAll
    static void stop() {
        SILENT.close();
    }

    @Test
    void requestsAreAnsweredPromptlyWithRateLimitHeadersWhileRedisHangs() {
        Accounts.Credentials caller = Accounts.key(Accounts.createAccount("starter", 5), "read");
        for (int i = 1; i <= 5; i++) {
            long started = System.nanoTime();
            Response response = given().auth().oauth2(caller.key()).get("/v2/regions");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("request %d", i)
                    // the 100 ms Redis timeout, then the breaker; a request that waited on Redis would take the
                    // client's 10 s timeout. 5 s, not 2: on a loaded 2-core machine a first request took 3.3 s
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.header("X-RateLimit-Limit")).isEqualTo("5");
            assertThat(response.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(5 - i));
        }
        StatusCodesTest.assertProblem(given().auth().oauth2(caller.key()).get("/v2/regions"), 429);

        String health =
                given().get("/q/health/well").then().statusCode(200).extract().asString();
        assertThat(health).contains("rate-limit-store").contains("\"redis-breaker\": \"open\"");
        assertThat(given().get("/q/metrics").asString())
                .containsPattern("cloudnexus_gateway_rate_limit_redis_breaker_state(\\{[^}]*\\})? 1\\.0");
    }
}
