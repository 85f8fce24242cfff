package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Gateway metrics: per-service outcomes, and no unbounded tags (resource ids never become tag values). */
@QuarkusTest
@GatewayTest
class MetricsTest {

    @BeforeEach
    void reset() {
        UpstreamReceiverResource.receiver().reset();
    }

    @Test
    void countsForwardedAndRefusedRequestsWithoutResourceIdsInTags() {
        Accounts.Credentials caller = Accounts.professional();
        for (String id : new String[] {"srv_metrics1", "srv_metrics2"}) {
            given().auth()
                    .oauth2(caller.key())
                    .header("X-CloudNexus-Id", caller.accountId())
                    .get("/v2/servers/" + id)
                    .then()
                    .statusCode(200);
        }
        given().auth()
                .oauth2(caller.key())
                .header("X-CloudNexus-Id", caller.accountId())
                .header("Idempotency-Key", "not valid")
                .contentType("application/json")
                .body("{}")
                .post("/v2/servers")
                .then()
                .statusCode(400);

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain("srv_metrics1").doesNotContain("srv_metrics2");
        assertThat(metrics)
                .containsPattern("cloudnexus_gateway_requests_total\\{[^}]*service=\"compute\"[^}]*status=\"200\"");
        assertThat(metrics)
                .containsPattern("cloudnexus_gateway_requests_total\\{[^}]*service=\"compute\"[^}]*status=\"400\"");
        assertThat(metrics).contains("cloudnexus_gateway_upstream_seconds");
    }
}
