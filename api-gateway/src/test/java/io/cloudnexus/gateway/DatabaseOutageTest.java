package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudnexus.testsupport.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The gateway's own PostgreSQL unreachable (the proxy between them cut; the server itself keeps
 * running): key look-ups, the idempotency store and the admin API answer 503 with Retry-After, never
 * 500; once the proxy is restored the same requests succeed again.
 */
@QuarkusTest
@GatewayTest
class DatabaseOutageTest {

    @BeforeEach
    void reset() {
        UpstreamReceiverResource.receiver().reset();
    }

    private static void assertUnavailable(Response response) {
        StatusCodesTest.assertProblem(response, 503);
        assertThat(response.header("Retry-After")).isEqualTo("5");
    }

    @Test
    void anUnreachableDatabaseIs503AndTheGatewayRecovers() {
        Accounts.Credentials cached = Accounts.professional();
        Accounts.Credentials notCached = Accounts.professional();
        // the first key is verified (and cached) now; the second one never was
        assertThat(given().auth().oauth2(cached.key()).get("/v2/regions").statusCode())
                .isEqualTo(200);
        String idempotencyKey = UUID.randomUUID().toString();
        TcpProxy database = GatewayDatabaseResource.proxy();
        database.cut();
        try {
            assertUnavailable(given().auth().oauth2(notCached.key()).get("/v2/regions"));
            assertUnavailable(given().auth()
                    .oauth2(cached.key())
                    .header("Idempotency-Key", idempotencyKey)
                    .contentType(ContentType.JSON)
                    .body("{\"count\":1}")
                    .post("/v2/servers"));
            assertUnavailable(given().auth()
                    .oauth2(Accounts.ADMIN_KEY)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", "During outage", "tier", "starter"))
                    .post("/admin/accounts"));
            assertUnavailable(
                    given().auth().oauth2(Accounts.ADMIN_KEY).get("/admin/accounts/{id}", cached.accountId()));
            // a cached key without database work still passes
            assertThat(given().auth().oauth2(cached.key()).get("/v2/regions").statusCode())
                    .isEqualTo(200);
        } finally {
            database.restore();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> given().auth()
                                .oauth2(notCached.key())
                                .get("/v2/regions")
                                .statusCode()
                        == 200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> given().auth()
                                .oauth2(cached.key())
                                .header("Idempotency-Key", idempotencyKey)
                                .contentType(ContentType.JSON)
                                .body("{\"count\":1}")
                                .post("/v2/servers")
                                .statusCode()
                        == 200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> given().auth()
                                .oauth2(Accounts.ADMIN_KEY)
                                .contentType(ContentType.JSON)
                                .body(Map.of("name", "After outage", "tier", "starter"))
                                .post("/admin/accounts")
                                .statusCode()
                        == 201);
    }
}
