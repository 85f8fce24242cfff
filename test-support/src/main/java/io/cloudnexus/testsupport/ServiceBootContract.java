package io.cloudnexus.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.restassured.response.Response;

/**
 * What every CloudNexus service promises once booted against the real Kafka broker and PostgreSQL:
 * it reports ready with its database (and Kafka, where it uses Kafka) checked, and publishes metrics
 * and an OpenAPI document.
 *
 * <p>A module's boot test implements this interface (and {@link IdentityProtectedContract} for the
 * services behind the gateway) and adds {@code @QuarkusTest} and {@link ServiceTest} (the shared test resources).
 */
public interface ServiceBootContract {

    /** Whether readiness must include a Kafka check. */
    default boolean usesKafka() {
        return true;
    }

    @Test
    default void reportsReadyWithItsDependenciesChecked() {
        Response ready = given().get("/q/health/ready");
        assertThat(ready.statusCode()).as(ready.asString()).isEqualTo(200);
        List<Map<String, Object>> checks = ready.jsonPath().getList("checks");
        assertThat(checks).anySatisfy(c -> {
            assertThat(c.get("name").toString()).containsIgnoringCase("database");
            assertThat(c.get("status")).isEqualTo("UP");
        });
        if (usesKafka()) {
            assertThat(checks).anySatisfy(c -> {
                assertThat(c.get("name").toString()).containsIgnoringCase("kafka");
                assertThat(c.get("status")).isEqualTo("UP");
            });
        }
        assertThat(given().get("/q/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    default void publishesMetricsAndOpenApi() {
        assertThat(given().get("/q/metrics").then().extract().asString()).contains("jvm_memory_used_bytes");
        assertThat(given().get("/q/openapi?format=json")
                        .then()
                        .extract()
                        .jsonPath()
                        .getString("openapi"))
                .startsWith("3.");
    }
}
