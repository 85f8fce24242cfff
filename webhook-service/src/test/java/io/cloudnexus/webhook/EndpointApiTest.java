package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The endpoints API: validation, paging, changes, status transitions, deletion, and the event catalog. */
@QuarkusTest
@ServiceTest
class EndpointApiTest {

    @Test
    void createsListsChangesAndDeletesEndpoints() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            Response created = Api.as(account)
                    .body(Map.of(
                            "url",
                            receiver.url("/a"),
                            "description",
                            "ops",
                            "events",
                            List.of("server.*", "billing.invoice.finalized")))
                    .post("/webhooks");
            assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
            JsonPath body = created.jsonPath();
            assertThat(body.getString("id")).startsWith("whk_");
            assertThat(body.getString("secret")).matches("whsec_[A-Za-z0-9+/]{43}=");
            assertThat(body.getString("status")).isEqualTo("active");
            assertThat(body.getList("events")).containsExactly("server.*", "billing.invoice.finalized");
            String id = body.getString("id");
            Api.createEndpoint(account, receiver.url("/b"), List.of("*"));
            Api.createEndpoint(account, receiver.url("/c"), List.of("deployment.failed"));

            JsonPath first =
                    Api.as(account).queryParam("limit", 2).get("/webhooks").jsonPath();
            assertThat(first.getList("data")).hasSize(2);
            assertThat(first.getBoolean("has_more")).isTrue();
            JsonPath second = Api.as(account)
                    .queryParam("limit", 2)
                    .queryParam("starting_after", first.getString("data[1].id"))
                    .get("/webhooks")
                    .jsonPath();
            assertThat(second.getList("data")).hasSize(1);
            assertThat(second.getBoolean("has_more")).isFalse();
            assertThat(first.getString("data")).doesNotContain("whsec_");

            Response patched = Api.as(account)
                    .body(Map.of("events", List.of("cluster.*"), "url", receiver.url("/a2")))
                    .patch("/webhooks/" + id);
            assertThat(patched.statusCode()).isEqualTo(200);
            assertThat(patched.jsonPath().getList("events")).containsExactly("cluster.*");
            assertThat(patched.jsonPath().getString("url")).endsWith("/a2");
            assertThat(patched.jsonPath().getString("description")).isEqualTo("ops");

            assertThat(Api.as(account)
                            .post("/webhooks/" + id + "/pause")
                            .jsonPath()
                            .getString("status"))
                    .isEqualTo("paused");
            assertThat(Api.as(account).post("/webhooks/" + id + "/enable").statusCode())
                    .isEqualTo(409);
            assertThat(Api.as(account)
                            .post("/webhooks/" + id + "/resume")
                            .jsonPath()
                            .getString("status"))
                    .isEqualTo("active");

            // the customer disables (from active or paused) and enables again
            Response disabled = Api.as(account).post("/webhooks/" + id + "/disable");
            assertThat(disabled.jsonPath().getString("status")).isEqualTo("disabled");
            assertThat(disabled.jsonPath().getString("disabled_reason")).isEqualTo("disabled by the customer");
            assertThat(Api.as(account).post("/webhooks/" + id + "/resume").statusCode())
                    .isEqualTo(409);
            Response enabled = Api.as(account).post("/webhooks/" + id + "/enable");
            assertThat(enabled.jsonPath().getString("status")).isEqualTo("active");
            assertThat(enabled.jsonPath().getString("disabled_reason")).isNull();
            Api.as(account).post("/webhooks/" + id + "/pause").then().statusCode(200);
            assertThat(Api.as(account)
                            .post("/webhooks/" + id + "/disable")
                            .jsonPath()
                            .getString("status"))
                    .isEqualTo("disabled");
            assertThat(Api.as(ResourceIds.newId(ResourceIds.ACCOUNT))
                            .post("/webhooks/" + id + "/disable")
                            .statusCode())
                    .isEqualTo(404);
            Api.as(account).post("/webhooks/" + id + "/enable").then().statusCode(200);

            assertThat(Api.as(account).delete("/webhooks/" + id).statusCode()).isEqualTo(204);
            assertThat(Api.as(account).get("/webhooks/" + id).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void refusesInvalidEndpointsWithProblemDetails() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        Response unknownType = Api.createEndpoint(account, "http://127.0.0.1:9/x", List.of("server.exploded"));
        assertThat(unknownType.statusCode()).isEqualTo(400);
        assertThat(unknownType.contentType()).startsWith("application/problem+json");
        assertThat(unknownType.jsonPath().getString("errors[0].field")).isEqualTo("events");
        assertThat(unknownType.jsonPath().getList("errors[0].valid_values")).contains("server.provisioned");

        assertThat(Api.createEndpoint(account, "http://127.0.0.1:9/x", List.of("serv*"))
                        .statusCode())
                .isEqualTo(400);
        assertThat(Api.createEndpoint(account, "http://127.0.0.1:9/x", List.of())
                        .statusCode())
                .isEqualTo(400);
        Response noUrl = Api.as(account).body(Map.of("events", List.of("*"))).post("/webhooks");
        assertThat(noUrl.statusCode()).isEqualTo(400);
        assertThat(noUrl.jsonPath().getString("errors[0].field")).isEqualTo("url");
        Response unknownField = Api.as(account)
                .body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("*"), "colour", "red"))
                .post("/webhooks");
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(unknownField.asString()).contains("colour");
        Response wrongType = Api.as(account)
                .body("{\"url\":\"http://127.0.0.1:9/x\",\"events\":\"*\"}")
                .post("/webhooks");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(Api.as(account).body("{not json").post("/webhooks").statusCode())
                .isEqualTo(400);
        assertThat(Api.as(account)
                        .queryParam("from", "yesterday")
                        .get("/webhooks/deliveries")
                        .statusCode())
                .isEqualTo(400);
        assertThat(Api.as(account).queryParam("limit", 1000).get("/webhooks").statusCode())
                .isEqualTo(400);
    }

    @Test
    void servesTheEventCatalog() {
        JsonPath catalog = Api.as(ResourceIds.newId(ResourceIds.ACCOUNT))
                .get("/events/types")
                .jsonPath();
        assertThat(catalog.getList("data.type"))
                .contains(
                        "server.provisioned",
                        "security.threat.detected",
                        "billing.invoice.finalized",
                        "webhook.endpoint.disabled");
        Map<String, Object> provisioned = catalog.getMap("data.find { it.type == 'server.provisioned' }");
        assertThat(provisioned.get("category")).isEqualTo("Compute");
        assertThat(provisioned.get("description").toString()).isNotBlank();
        assertThat(provisioned.get("schema")).isNotNull();
        Map<String, Object> sample = catalog.getMap("data.find { it.type == 'server.provisioned' }.sample");
        assertThat(sample).containsKeys("server_id", "region", "status", "ip");
    }
}
