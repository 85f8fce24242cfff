package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Self-service API keys ({@code /v2/api-keys}): a key creates keys with its own scopes at most (escalation
 * 403), sees them listed without the key (prefix, name, scopes, created, last used), revokes them; another
 * account's key ids are 404; the usual /v2 refusals are problem details.
 */
@QuarkusTest
@GatewayTest
class ApiKeySelfServiceTest {

    @Test
    void aKeyCreatesListsAndRevokesKeysOfItsAccount() {
        Accounts.Credentials own = Accounts.professional();
        Response created = create(own.key(), Map.of("name", "deploy bot", "scopes", List.of("read")));
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        assertThat(created.header("X-RateLimit-Limit")).isEqualTo("500");
        String key = created.path("key");
        String id = created.path("id");
        assertThat(key).matches("cn_live_sk_[0-9A-Za-z]{40}");
        assertThat(created.<List<String>>path("scopes")).containsExactly("read");

        // the new key works, with its own scopes
        assertThat(given().auth().oauth2(key).get("/v2/regions").statusCode()).isEqualTo(200);
        assertThat(given().auth()
                        .oauth2(key)
                        .contentType(ContentType.JSON)
                        .body("{}")
                        .post("/v2/servers")
                        .statusCode())
                .isEqualTo(403);

        JsonPath listed = given().auth()
                .oauth2(own.key())
                .get("/v2/api-keys")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, Object>> keys = listed.getList("data");
        assertThat(keys)
                .hasSize(2)
                .allSatisfy(k -> assertThat(k)
                        .doesNotContainKey("key")
                        .containsKeys("id", "name", "prefix", "scopes", "created_at", "last_used_at"));
        Map<String, Object> bot =
                keys.stream().filter(k -> id.equals(k.get("id"))).findFirst().orElseThrow();
        assertThat(bot).containsEntry("name", "deploy bot").containsEntry("prefix", key.substring(0, 15));
        assertThat(bot.get("last_used_at")).isNotNull();

        assertThat(given().auth()
                        .oauth2(own.key())
                        .delete("/v2/api-keys/{id}", id)
                        .statusCode())
                .isEqualTo(204);
        assertThat(given().auth().oauth2(key).get("/v2/regions").statusCode()).isEqualTo(401);
        assertThat(given().auth()
                        .oauth2(own.key())
                        .get("/v2/api-keys")
                        .jsonPath()
                        .getList("data.id"))
                .containsExactly(own.keyId());
    }

    @Test
    void scopeEscalationIsRefused() {
        Accounts.Credentials readWrite = Accounts.professional();
        Response admin = create(readWrite.key(), Map.of("name", "x", "scopes", List.of("read", "admin")));
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(admin.contentType()).startsWith("application/problem+json");
        assertThat(admin.<String>path("detail")).contains("scopes this credential has");

        Accounts.Credentials readOnly = Accounts.key(readWrite.accountId(), "read");
        // creating needs write in the first place
        assertThat(create(readOnly.key(), Map.of("name", "x", "scopes", List.of("read")))
                        .statusCode())
                .isEqualTo(403);
        assertThat(given().auth().oauth2(readOnly.key()).get("/v2/api-keys").statusCode())
                .isEqualTo(200);

        Accounts.Credentials writeOnly = Accounts.key(readWrite.accountId(), "write");
        assertThat(create(writeOnly.key(), Map.of("name", "x", "scopes", List.of("read")))
                        .statusCode())
                .isEqualTo(403);
        Accounts.Credentials adminKey = Accounts.key(readWrite.accountId(), "admin");
        assertThat(create(adminKey.key(), Map.of("name", "x", "scopes", List.of("admin")))
                        .statusCode())
                .isEqualTo(201);
    }

    @Test
    void anotherAccountsKeyIdsAre404() {
        Accounts.Credentials mine = Accounts.professional();
        Accounts.Credentials theirs = Accounts.professional();
        Response foreign = given().auth().oauth2(mine.key()).delete("/v2/api-keys/{id}", theirs.keyId());
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        assertThat(given().auth().oauth2(theirs.key()).get("/v2/regions").statusCode())
                .isEqualTo(200);
        assertThat(given().auth()
                        .oauth2(mine.key())
                        .get("/v2/api-keys")
                        .jsonPath()
                        .getList("data.id"))
                .containsExactly(mine.keyId());
        assertThat(given().auth()
                        .oauth2(mine.key())
                        .delete("/v2/api-keys/{id}", "key_%0d%0ax")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void refusalsAreProblemDetails() {
        Accounts.Credentials own = Accounts.professional();
        Response anonymous = given().contentType(ContentType.JSON).body("{").post("/v2/api-keys");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
        assertThat(given().auth()
                        .oauth2("cn_live_sk_" + "0".repeat(40))
                        .get("/v2/api-keys")
                        .statusCode())
                .isEqualTo(401);
        assertThat(given().auth()
                        .oauth2(own.key())
                        .contentType(ContentType.JSON)
                        .body("{")
                        .post("/v2/api-keys")
                        .statusCode())
                .isEqualTo(400);
        assertThat(given().auth()
                        .oauth2(own.key())
                        .contentType(ContentType.TEXT)
                        .body("name=x")
                        .post("/v2/api-keys")
                        .statusCode())
                .isEqualTo(415);
        assertThat(create(own.key(), Map.of("name", "a\nb", "scopes", List.of("read")))
                        .statusCode())
                .isEqualTo(400);
        assertThat(create(own.key(), Map.of("name", "a", "scopes", List.of())).statusCode())
                .isEqualTo(400);
        assertThat(given().auth()
                        .oauth2(own.key())
                        .header("X-CloudNexus-Id", Accounts.professional().accountId())
                        .get("/v2/api-keys")
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void theAccountsRateLimitCountsTheseCalls() {
        String account = Accounts.createAccount("starter", 3);
        Accounts.Credentials key = Accounts.key(account, "read", "write");
        for (int i = 0; i < 3; i++) {
            assertThat(given().auth().oauth2(key.key()).get("/v2/api-keys").statusCode())
                    .isEqualTo(200);
        }
        Response limited = given().auth().oauth2(key.key()).get("/v2/api-keys");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
    }

    private static Response create(String key, Map<String, Object> body) {
        return given().auth()
                .oauth2(key)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v2/api-keys");
    }
}
