package io.cloudnexus.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
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

    /**
     * Plain-text HTTP is HTTP/1.1: a client that offers an h2c upgrade (the JDK's HttpClient does by default) gets
     * its answer over HTTP/1.1, whole. With the upgrade accepted, a large answer (the OpenAPI document) sometimes
     * reached such a client as HTTP/1.1 bytes on the upgraded connection, read as broken HTTP/2 frames.
     */
    @Test
    default void answersAClientOfferingAnH2cUpgradeOverHttp11Whole() throws Exception {
        URI openApi = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/q/openapi?format=json");
        for (int i = 0; i < 20; i++) {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(openApi)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(JsonPath.from(answer.body()).getString("openapi")).startsWith("3.");
        }
    }
}
