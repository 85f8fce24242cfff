package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** JSON:API content negotiation at the edge: the services answer JSON, the client gets JSON:API documents. */
@QuarkusTest
@GatewayTest
class JsonApiTest {

    static final String JSON_API = "application/vnd.api+json";

    RecordingReceiver upstream = UpstreamReceiverResource.receiver();
    Accounts.Credentials caller;

    @BeforeEach
    void reset() {
        upstream.reset();
        caller = Accounts.professional();
    }

    /** RestAssured would add "; charset=ISO-8859-1" to a media type it does not know: a parameter JSON:API refuses. */
    private static final RestAssuredConfig AS_IS = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    private RequestSpecification as(Accounts.Credentials c) {
        return given().config(AS_IS)
                .header("Authorization", "Bearer " + c.key())
                .header("X-CloudNexus-Id", c.accountId());
    }

    private static Reply json(int status, String body) {
        return Reply.status(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    @Test
    void aListingBecomesACollectionDocumentWithResourceObjectsAndANextLink() {
        upstream.script(json(
                200,
                "{\"data\":[{\"id\":\"srv_1\",\"name\":\"web-1\",\"status\":\"active\"},"
                        + "{\"id\":\"srv_2\",\"name\":\"web-2\",\"status\":\"provisioning\"}],\"has_more\":true}"));

        Response response = as(caller).accept(JSON_API).get("/v2/servers?limit=2&region=us-east-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo(JSON_API);
        assertThat(response.header("Vary")).contains("Accept");
        JsonPath doc = response.jsonPath();
        assertThat(doc.getString("jsonapi.version")).isEqualTo("1.1");
        assertThat(doc.getList("data.type")).containsExactly("servers", "servers");
        assertThat(doc.getList("data.id")).containsExactly("srv_1", "srv_2");
        assertThat(doc.getString("data[0].attributes.name")).isEqualTo("web-1");
        assertThat(doc.getMap("data[0].attributes")).doesNotContainKey("id");
        assertThat(doc.getString("data[1].links.self")).isEqualTo("/v2/servers/srv_2");
        assertThat(doc.getString("links.self")).isEqualTo("/v2/servers?limit=2&region=us-east-1");
        assertThat(doc.getString("links.next")).isEqualTo("/v2/servers?limit=2&region=us-east-1&starting_after=srv_2");
        assertThat(doc.getBoolean("meta.has_more")).isTrue();

        ReceivedRequest forwarded =
                upstream.awaitCount(1, Duration.ofSeconds(5)).get(0);
        assertThat(forwarded.header("Accept")).isEqualTo("application/json");
    }

    @Test
    void theLastPageHasANullNextLinkAndATypeFromThePathWhenIdsHaveNoPrefix() {
        upstream.script(json(200, "{\"data\":[{\"id\":\"us-east-1\",\"name\":\"US East\"}],\"has_more\":false}"));
        JsonPath doc = as(caller)
                .accept(JSON_API)
                .get("/v2/regions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(doc.getString("data[0].type")).isEqualTo("regions");
        assertThat(doc.getString("data[0].id")).isEqualTo("us-east-1");
        assertThat(doc.getMap("links")).containsEntry("next", null);
    }

    @Test
    void oneResourceIsADataObjectWhoseSelfLinkIsThePathAndAnObjectWithoutIdIsMeta() {
        upstream.script(json(200, "{\"id\":\"whk_1\",\"url\":\"https://example.com/hook\",\"status\":\"active\"}"));
        UpstreamReceiverResource.billing()
                .script(json(200, "{\"period\":\"2026-12\",\"amount_due\":1234,\"currency\":\"USD\"}"));
        JsonPath one = as(caller)
                .accept(JSON_API)
                .get("/v2/webhooks/whk_1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(one.getString("data.type")).isEqualTo("webhooks");
        assertThat(one.getString("data.id")).isEqualTo("whk_1");
        assertThat(one.getString("data.attributes.url")).isEqualTo("https://example.com/hook");
        assertThat(one.getString("data.links.self")).isEqualTo("/v2/webhooks/whk_1");

        JsonPath usage = as(caller)
                .accept(JSON_API)
                .get("/v2/billing/usage")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(usage.getMap("meta")).doesNotContainKey("data");
        assertThat((Object) usage.get("data")).isNull();
        assertThat(usage.getInt("meta.amount_due")).isEqualTo(1234);
    }

    @Test
    void aDeliverysAttemptsABareArrayBecomeACollectionNamedByNumber() {
        // the webhook service answers a delivery's attempts as a bare array, not a page
        upstream.script(json(
                200,
                "[{\"attempt\":1,\"attempted_at\":\"2026-12-01T10:00:00Z\",\"status_code\":500},"
                        + "{\"attempt\":2,\"attempted_at\":\"2026-12-01T10:00:05Z\",\"status_code\":200}]"));
        Response response = as(caller).accept(JSON_API).get("/v2/webhooks/whk_1/deliveries/dlv_1/attempts");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo(JSON_API);
        JsonPath doc = response.jsonPath();
        assertThat(doc.getString("jsonapi.version")).isEqualTo("1.1");
        assertThat(doc.getList("data.type")).containsExactly("attempts", "attempts");
        assertThat(doc.getList("data.id")).containsExactly("1", "2");
        assertThat(doc.getInt("data[1].attributes.status_code")).isEqualTo(200);
        assertThat(doc.getString("links.self")).isEqualTo("/v2/webhooks/whk_1/deliveries/dlv_1/attempts");
        assertThat(doc.getMap("links")).containsEntry("next", null);
        assertThat(doc.getMap("$")).doesNotContainKey("meta");
    }

    @Test
    void theEventCatalogAWholeListInDataBecomesEventTypesNamedByTheirType() {
        // /events/types answers {"data": [...]} without has_more: the whole catalog
        upstream.script(json(
                200,
                "{\"data\":[{\"type\":\"server.created\",\"category\":\"server\",\"schema\":{}},"
                        + "{\"type\":\"server.deleted\",\"category\":\"server\",\"schema\":{}}]}"));
        JsonPath doc = as(caller)
                .accept(JSON_API)
                .get("/v2/events/types")
                .then()
                .statusCode(200)
                .contentType(JSON_API)
                .extract()
                .jsonPath();
        assertThat((Object) doc.get("meta.data")).isNull();
        assertThat(doc.getList("data.type")).containsExactly("event-types", "event-types");
        assertThat(doc.getList("data.id")).containsExactly("server.created", "server.deleted");
        assertThat(doc.getString("data[0].attributes.category")).isEqualTo("server");
        assertThat(doc.getMap("data[0].attributes")).doesNotContainKey("type");
        assertThat(doc.getMap("links")).containsEntry("next", null);
    }

    @Test
    void aServicesProblemDetailsBecomeErrorObjectsWithPointers() {
        upstream.script(Reply.status(422)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"https://docs.cloudnexus.io/problems/validation\",\"title\":\"Invalid request\","
                        + "\"status\":422,\"detail\":\"2 fields are invalid\",\"request_id\":\"req-422\","
                        + "\"errors\":[{\"field\":\"$.region\",\"message\":\"unknown region\","
                        + "\"valid_values\":[\"us-east-1\"]},{\"field\":\"spec.node_pools[0].size\","
                        + "\"message\":\"must be at least 1\"}]}"));
        Response response = as(caller)
                .accept(JSON_API)
                .contentType("application/json")
                .body("{\"region\":\"mars\"}")
                .post("/v2/servers");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.contentType()).isEqualTo(JSON_API);
        JsonPath doc = response.jsonPath();
        assertThat(doc.getList("errors.status")).containsExactly("422", "422");
        assertThat(doc.getList("errors.code")).containsExactly("validation", "validation");
        assertThat(doc.getList("errors.detail")).containsExactly("unknown region", "must be at least 1");
        assertThat(doc.getList("errors.source.pointer"))
                .containsExactly("/data/attributes/region", "/data/attributes/spec/node_pools/0/size");
        assertThat(doc.getList("errors[0].meta.valid_values")).containsExactly("us-east-1");
        assertThat(doc.getString("errors[0].meta.request_id")).isEqualTo("req-422");
    }

    @Test
    void theGatewaysOwnRefusalsAreErrorObjectsToo() {
        Response response = given().accept(JSON_API).get("/v2/servers");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.contentType()).isEqualTo(JSON_API);
        assertThat(response.jsonPath().getString("errors[0].status")).isEqualTo("401");
        assertThat(response.jsonPath().getString("errors[0].code")).isEqualTo("unauthorized");
        assertThat(response.jsonPath().getString("errors[0].meta.request_id"))
                .isEqualTo(response.header("X-Request-Id"));
        assertThat(upstream.count()).isZero();
    }

    @Test
    void aJsonApiRequestDocumentReachesTheServiceAsItsAttributes() {
        upstream.script(json(202, "{\"id\":\"srv_9\",\"name\":\"api-1\",\"status\":\"provisioning\"}"));
        Response response = as(caller)
                .accept(JSON_API)
                .contentType(JSON_API)
                .body("{\"data\":{\"type\":\"servers\",\"attributes\":{\"name\":\"api-1\",\"region\":\"us-east-1\","
                        + "\"plan\":\"professional\",\"image\":\"ubuntu-22.04\"}}}")
                .post("/v2/servers");
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.jsonPath().getString("data.id")).isEqualTo("srv_9");
        assertThat(response.jsonPath().getString("data.links.self")).isEqualTo("/v2/servers/srv_9");

        ReceivedRequest forwarded =
                upstream.awaitCount(1, Duration.ofSeconds(5)).get(0);
        assertThat(forwarded.header("Content-Type")).isEqualTo("application/json");
        assertThat(JsonPath.from(new String(forwarded.body(), StandardCharsets.UTF_8))
                        .getMap("$"))
                .isEqualTo(Map.of(
                        "name", "api-1", "region", "us-east-1", "plan", "professional", "image", "ubuntu-22.04"));
    }

    @Test
    void anUpdateDocumentMustNameTheResourceOfThePath() {
        upstream.script(json(200, "{\"id\":\"srv_1\",\"name\":\"renamed\"}"));
        as(caller)
                .accept(JSON_API)
                .contentType(JSON_API)
                .body("{\"data\":{\"type\":\"servers\",\"id\":\"srv_1\",\"attributes\":{\"name\":\"renamed\"}}}")
                .patch("/v2/servers/srv_1")
                .then()
                .statusCode(200);
        assertThat(new String(
                        upstream.awaitCount(1, Duration.ofSeconds(5)).get(0).body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"name\":\"renamed\"}");

        Response otherId = as(caller)
                .accept(JSON_API)
                .contentType(JSON_API)
                .body("{\"data\":{\"type\":\"servers\",\"id\":\"srv_2\",\"attributes\":{\"name\":\"x\"}}}")
                .patch("/v2/servers/srv_1");
        assertThat(otherId.statusCode()).isEqualTo(409);
        assertThat(otherId.jsonPath().getString("errors[0].status")).isEqualTo("409");
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void badRequestDocumentsAreRefusedBeforeTheService() {
        record Case(String path, String body, int status) {}
        for (Case c : List.of(
                new Case("/v2/servers", "{\"data\":{\"type\":\"clusters\",\"attributes\":{}}}", 409),
                new Case("/v2/servers", "{\"data\":{\"type\":\"servers\",\"id\":\"srv_mine\",\"attributes\":{}}}", 403),
                new Case("/v2/servers", "{\"name\":\"not a document\"}", 400),
                new Case("/v2/servers", "{\"data\":{\"attributes\":{}}}", 400),
                new Case("/v2/servers", "{\"data\":{\"type\":\"servers\",\"attributes\":[1]}}", 400),
                new Case("/v2/servers", "{\"data\":", 400))) {
            Response response = as(caller)
                    .accept(JSON_API)
                    .contentType(JSON_API)
                    .body(c.body())
                    .post(c.path());
            assertThat(response.statusCode()).as(c.body()).isEqualTo(c.status());
            assertThat(response.contentType()).as(c.body()).isEqualTo(JSON_API);
            assertThat(response.jsonPath().getString("errors[0].detail"))
                    .as(c.body())
                    .isNotBlank();
        }
        assertThat(upstream.count()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {JSON_API + "; ext=\"https://jsonapi.org/ext/atomic\"", JSON_API + "; charset=utf-8"})
    void aJsonApiBodyWithAParameterOtherThanProfileIs415(String contentType) {
        Response response = as(caller)
                .contentType(contentType)
                .body("{\"data\":{\"type\":\"servers\",\"attributes\":{}}}")
                .post("/v2/servers");
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(upstream.count()).isZero();
    }

    @Test
    void acceptListingJsonApiOnlyWithOtherParametersIs406AndAProfileIsFine() {
        Response refused = as(caller)
                .header("Accept", JSON_API + "; ext=\"https://jsonapi.org/ext/atomic\"")
                .get("/v2/servers");
        assertThat(refused.statusCode()).isEqualTo(406);
        assertThat(upstream.count()).isZero();

        upstream.script(json(200, "{\"data\":[],\"has_more\":false}"));
        Response withProfile = as(caller)
                .header("Accept", JSON_API + "; ext=x, " + JSON_API + "; profile=\"https://example.com/p\"")
                .get("/v2/servers");
        assertThat(withProfile.statusCode()).isEqualTo(200);
        assertThat(withProfile.contentType()).isEqualTo(JSON_API);
    }

    @Test
    void plainJsonIsUnchanged() {
        String body = "{\"data\":[{\"id\":\"srv_1\"}],\"has_more\":false}";
        upstream.script(json(200, body));
        Response response = as(caller).accept("application/json").get("/v2/servers");
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.asString()).isEqualTo(body);
    }

    @Test
    void anIdempotentReplayIsTranslatedAsTheFirstAnswerWas() {
        upstream.script(json(202, "{\"id\":\"srv_7\",\"name\":\"once\"}"));
        String key = UUID.randomUUID().toString();
        String document = "{\"data\":{\"type\":\"servers\",\"attributes\":{\"name\":\"once\"}}}";
        Response first = as(caller)
                .accept(JSON_API)
                .contentType(JSON_API)
                .header("Idempotency-Key", key)
                .body(document)
                .post("/v2/servers");
        Response replay = as(caller)
                .accept(JSON_API)
                .contentType(JSON_API)
                .header("Idempotency-Key", key)
                .body(document)
                .post("/v2/servers");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.contentType()).isEqualTo(JSON_API);
        assertThat(replay.jsonPath().getString("data.id")).isEqualTo("srv_7");
        assertThat(replay.asString()).isEqualTo(first.asString());
        // the same request as plain JSON is the same request: the stored answer comes back as JSON
        Response plain = as(caller)
                .contentType("application/json")
                .header("Idempotency-Key", key)
                .body("{\"name\":\"once\"}")
                .post("/v2/servers");
        assertThat(plain.statusCode()).isEqualTo(202);
        assertThat(plain.jsonPath().getString("id")).isEqualTo("srv_7");
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void theGatewaysOwnResourcesSpeakJsonApiToo() {
        Response created = as(caller)
                .accept(JSON_API)
                .contentType(JSON_API)
                .body("{\"data\":{\"type\":\"api-keys\",\"attributes\":{\"name\":\"ci\",\"scopes\":[\"read\"]}}}")
                .post("/v2/api-keys");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.contentType()).isEqualTo(JSON_API);
        String keyId = created.jsonPath().getString("data.id");
        assertThat(keyId).startsWith("key_");
        assertThat(created.jsonPath().getString("data.type")).isEqualTo("api-keys");
        assertThat(created.jsonPath().getString("data.attributes.key")).startsWith("cn_live_sk_");

        JsonPath listed = as(caller)
                .accept(JSON_API)
                .get("/v2/api-keys")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(listed.getList("data.id")).contains(keyId);
        assertThat(listed.getList("data.type")).containsOnly("api-keys");
        assertThat(listed.getBoolean("meta.has_more")).isFalse();

        Response client = as(caller)
                .accept(JSON_API)
                .contentType(JSON_API)
                .body("{\"data\":{\"type\":\"oauth-clients\",\"attributes\":{\"name\":\"bot\",\"scopes\":[\"read\"]}}}")
                .post("/v2/oauth/clients");
        assertThat(client.statusCode()).as(client.asString()).isEqualTo(201);
        assertThat(client.jsonPath().getString("data.type")).isEqualTo("oauth-clients");
        assertThat(client.jsonPath().getString("data.id")).startsWith("cli_");

        Response wrongType = as(caller)
                .accept(JSON_API)
                .contentType(JSON_API)
                .body("{\"data\":{\"type\":\"servers\",\"attributes\":{\"name\":\"x\",\"scopes\":[\"read\"]}}}")
                .post("/v2/api-keys");
        assertThat(wrongType.statusCode()).isEqualTo(409);
        assertThat(wrongType.contentType()).isEqualTo(JSON_API);
        assertThat(wrongType.jsonPath().getString("errors[0].status")).isEqualTo("409");

        Response notAcceptable =
                as(caller).header("Accept", JSON_API + "; ext=x").get("/v2/api-keys");
        assertThat(notAcceptable.statusCode()).isEqualTo(406);

        // plain JSON: the one listing shape of the API
        assertThat(as(caller).get("/v2/api-keys").jsonPath().getList("data.id")).contains(keyId);
    }
}
