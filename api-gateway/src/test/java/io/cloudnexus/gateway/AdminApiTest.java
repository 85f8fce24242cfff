package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The admin API: accounts and keys (shown once, stored hashed, revocable), behind admin credentials. */
@QuarkusTest
@GatewayTest
class AdminApiTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void createsAccountsAndKeysShownOnceAndStoredHashed() throws Exception {
        Response account = given().auth()
                .oauth2(Accounts.ADMIN_KEY)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Acme", "tier", "enterprise", "custom_rate_limit", 5000))
                .post("/admin/accounts");
        assertThat(account.statusCode()).isEqualTo(201);
        String accountId = account.path("id");
        assertThat(accountId).matches("acc_[0-9a-z]{20}");
        assertThat(account.<Integer>path("rate_limit")).isEqualTo(5000);
        assertThat(account.<String>path("tier")).isEqualTo("enterprise");

        Accounts.Credentials key = Accounts.key(accountId, "read", "write");
        assertThat(key.key()).matches("cn_live_sk_[0-9A-Za-z]{40}");

        List<Map<String, Object>> listed = given().auth()
                .oauth2(Accounts.ADMIN_KEY)
                .get("/admin/accounts/{id}/keys", accountId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0))
                .doesNotContainKey("key")
                .containsEntry("prefix", key.key().substring(0, 15));

        try (var c = dataSource.getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT key_hash FROM api_key WHERE account_id = '" + accountId + "'")) {
            rs.next();
            assertThat(rs.getString(1))
                    .hasSize(64)
                    .isNotEqualTo(key.key())
                    .doesNotContain(key.key().substring(11));
        }
    }

    @Test
    void revokedKeysStopWorkingAtOnce() {
        Accounts.Credentials caller = Accounts.professional();
        assertThat(given().auth()
                        .oauth2(caller.key())
                        .header("X-CloudNexus-Id", caller.accountId())
                        .get("/v2/regions")
                        .statusCode())
                .isEqualTo(200);
        Response revoked = given().auth()
                .oauth2(Accounts.ADMIN_KEY)
                .delete("/admin/accounts/{a}/keys/{k}", caller.accountId(), caller.keyId());
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(revoked.<String>path("revoked_at")).isNotBlank();
        assertThat(given().auth()
                        .oauth2(caller.key())
                        .header("X-CloudNexus-Id", caller.accountId())
                        .get("/v2/regions")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void refusesCallersWithoutAdminCredentials() {
        Map<String, String> body = Map.of("name", "x", "tier", "starter");
        Response none = given().contentType(ContentType.JSON).body(body).post("/admin/accounts");
        StatusCodesTest.assertProblem(none, 401);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2("wrong")
                        .contentType(ContentType.JSON)
                        .body(body)
                        .post("/admin/accounts"),
                401);
        Accounts.Credentials customer = Accounts.newAccount("starter", "read", "write", "admin");
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(customer.key())
                        .contentType(ContentType.JSON)
                        .body(body)
                        .post("/admin/accounts"),
                401);
    }

    @Test
    void validatesInput() {
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(Accounts.ADMIN_KEY)
                        .contentType(ContentType.JSON)
                        .body(Map.of("name", "x", "tier", "gold"))
                        .post("/admin/accounts"),
                400);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(Accounts.ADMIN_KEY)
                        .contentType(ContentType.JSON)
                        .body("{not json")
                        .post("/admin/accounts"),
                400);
        String accountId = Accounts.createAccount("starter", null);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(Accounts.ADMIN_KEY)
                        .contentType(ContentType.JSON)
                        .body(Map.of("scopes", List.of("root")))
                        .post("/admin/accounts/{id}/keys", accountId),
                400);
        StatusCodesTest.assertProblem(
                given().auth().oauth2(Accounts.ADMIN_KEY).get("/admin/accounts/acc_doesnotexist"), 404);
    }

    @Test
    void controlCharactersInNamesAre400AndMalformedIdsAre404NeverA500() {
        for (String name : List.of("nul\u0000inside", "line\nbreak", "esc\u001b[31m", "del\u007f", "c1\u0085")) {
            StatusCodesTest.assertProblem(
                    given().auth()
                            .oauth2(Accounts.ADMIN_KEY)
                            .contentType(ContentType.JSON)
                            .body(Map.of("name", name, "tier", "starter"))
                            .post("/admin/accounts"),
                    400);
        }
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(Accounts.ADMIN_KEY)
                        .contentType(ContentType.JSON)
                        .body(Map.of("name", "x".repeat(201), "tier", "starter"))
                        .post("/admin/accounts"),
                400);
        String accountId = Accounts.createAccount("starter", null);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(Accounts.ADMIN_KEY)
                        .contentType(ContentType.JSON)
                        .body(Map.of("name", "ci\u0000key", "scopes", List.of("read")))
                        .post("/admin/accounts/{id}/keys", accountId),
                400);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(Accounts.ADMIN_KEY)
                        .contentType(ContentType.JSON)
                        .body("{\"scopes\":[null]}")
                        .post("/admin/accounts/{id}/keys", accountId),
                400);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(Accounts.ADMIN_KEY)
                        .urlEncodingEnabled(false)
                        .get("/admin/accounts/acc_%00x"),
                404);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(Accounts.ADMIN_KEY)
                        .urlEncodingEnabled(false)
                        .delete("/admin/accounts/" + accountId + "/keys/key_%00"),
                404);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(Accounts.ADMIN_KEY)
                        .urlEncodingEnabled(false)
                        .get("/admin/accounts/%00/keys"),
                404);
    }
}
