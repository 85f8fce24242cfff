package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The gateway serves the OpenAPI document of the whole public API, and Swagger UI. */
@QuarkusTest
@GatewayTest
class OpenApiTest {

    @Test
    void documentsEveryPublicRouteWithAuthHeadersStatusesAndTheDocsExample() {
        JsonPath doc = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Object> paths = doc.getMap("paths");
        assertThat(paths)
                .containsKeys(
                        "/v2/servers",
                        "/v2/servers/{id}",
                        "/v2/regions",
                        "/v2/plans",
                        "/v2/images",
                        "/v2/clusters/k8s",
                        "/v2/billing/invoices",
                        "/v2/webhooks",
                        "/v2/events/types",
                        "/admin/accounts");
        assertThat(doc.getMap("components.securitySchemes")).containsKeys("apiKey", "oauth2");
        List<Map<String, Object>> parameters = doc.getList("paths.'/v2/servers'.post.parameters");
        assertThat(parameters).isNotEmpty();
        assertThat(doc.getMap("paths.'/v2/servers'.post.responses"))
                .containsKeys("201", "400", "401", "403", "413", "415", "422", "429", "500", "503", "504");
        assertThat(doc.getMap("paths.'/v2/servers'.post.requestBody.content.'application/json'.example"))
                .containsEntry("region", "us-east-1")
                .containsEntry("plan", "professional")
                .containsEntry("image", "ubuntu-22.04")
                .containsEntry("count", 2);
        assertThat(doc.getMap("components.parameters.AccountId"))
                .containsEntry("name", "X-CloudNexus-Id")
                .containsEntry("required", true);
    }

    @Test
    void servesSwaggerUi() {
        assertThat(given().get("/q/swagger-ui/")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("swagger");
    }
}
