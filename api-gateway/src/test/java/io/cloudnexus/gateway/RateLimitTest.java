package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Per-account limits at the gateway (in-memory store): exact at the boundary, headers on every answer. */
@QuarkusTest
@GatewayTest
class RateLimitTest {

    @BeforeEach
    void reset() {
        UpstreamReceiverResource.receiver().reset();
    }

    private static Response get(Accounts.Credentials caller) {
        return given().auth()
                .oauth2(caller.key())
                .header("X-CloudNexus-Id", caller.accountId())
                .get("/v2/regions");
    }

    @Test
    void theHundredAndFirstStarterRequestInAWindowIsRefused() {
        Accounts.Credentials caller = Accounts.newAccount("starter", "read", "write");
        long before = System.currentTimeMillis() / 1000;
        for (int i = 1; i <= 100; i++) {
            Response response = get(caller);
            assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
            assertThat(response.header("X-RateLimit-Limit")).isEqualTo("100");
            assertThat(response.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(100 - i));
        }
        Response refused = get(caller);
        StatusCodesTest.assertProblem(refused, 429);
        assertThat(refused.header("X-RateLimit-Limit")).isEqualTo("100");
        assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
        long after = System.currentTimeMillis() / 1000;
        long reset = Long.parseLong(refused.header("X-RateLimit-Reset"));
        assertThat(reset).isBetween(before + 1, after + 61);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(UpstreamReceiverResource.receiver().count()).isEqualTo(100);

        Accounts.Credentials otherAccount = Accounts.newAccount("starter", "read");
        assertThat(get(otherAccount).statusCode()).isEqualTo(200);
    }

    @Test
    void aCustomLimitOverridesTheTier() {
        Accounts.Credentials caller = Accounts.key(Accounts.createAccount("enterprise", 3), "read");
        for (int i = 0; i < 3; i++) {
            assertThat(get(caller).header("X-RateLimit-Limit")).isEqualTo("3");
        }
        assertThat(get(caller).statusCode()).isEqualTo(429);
    }

    @Test
    void keysOfOneAccountShareItsLimit() {
        String accountId = Accounts.createAccount("starter", 2);
        Accounts.Credentials first = Accounts.key(accountId, "read");
        Accounts.Credentials second = Accounts.key(accountId, "read");
        assertThat(get(first).statusCode()).isEqualTo(200);
        assertThat(get(second).statusCode()).isEqualTo(200);
        assertThat(get(first).statusCode()).isEqualTo(429);
        assertThat(get(second).statusCode()).isEqualTo(429);
    }
}
