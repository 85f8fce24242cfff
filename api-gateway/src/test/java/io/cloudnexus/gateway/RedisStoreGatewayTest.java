package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The gateway itself with {@code rate-limit.store=redis} (local Redis): the limit holds through HTTP,
 * counted in Redis, both on the blocking path (first request: key not cached) and the asynchronous one.
 */
@QuarkusTest
@GatewayTest
@TestProfile(RedisStoreGatewayTest.RedisStore.class)
class RedisStoreGatewayTest {

    public static class RedisStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "cloudnexus.gateway.rate-limit.store",
                    "redis",
                    "cloudnexus.gateway.rate-limit.redis-key-prefix",
                    "cn:test:" + UUID.randomUUID() + ":");
        }
    }

    @Inject
    RedisDataSource redis;

    @ConfigProperty(name = "cloudnexus.gateway.rate-limit.redis-key-prefix")
    String prefix;

    @Test
    void theGatewayCountsInRedis() {
        Accounts.Credentials caller = Accounts.key(Accounts.createAccount("starter", 3), "read");
        for (int i = 1; i <= 3; i++) {
            Response response = given().auth()
                    .oauth2(caller.key())
                    .header("X-CloudNexus-Id", caller.accountId())
                    .get("/v2/regions");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(3 - i));
        }
        Response refused = given().auth()
                .oauth2(caller.key())
                .header("X-CloudNexus-Id", caller.accountId())
                .get("/v2/regions");
        StatusCodesTest.assertProblem(refused, 429);
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(redis.value(String.class).get(prefix + caller.accountId()))
                .as("the counter in Redis")
                .isEqualTo("4");
    }
}
