package io.cloudnexus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Operator actions are reachable only with the operator's credential, across the real processes: an account key
 * with the {@code admin} scope can neither finalize another account's invoices nor reach the admin API, while the
 * operator's admin route reaches billing-service with an operator identity that billing accepts.
 */
class OperatorActionsIT {

    private static Platform platform;

    @BeforeAll
    static void start() {
        platform = Platform.get();
    }

    @Test
    void anAccountsAdminKeyCannotFinalizeAnotherAccountsInvoices() {
        Response other =
                operator().body("{\"name\":\"Other Co\",\"tier\":\"starter\"}").post("/admin/accounts");
        assertThat(other.statusCode()).as(other.asString()).isEqualTo(201);
        String otherAccount = other.path("id");
        Response key = operator()
                .body("{\"name\":\"ops\",\"scopes\":[\"admin\"]}")
                .post("/admin/accounts/" + otherAccount + "/keys");
        assertThat(key.statusCode()).as(key.asString()).isEqualTo(201);
        String adminKey = key.path("key");

        Response foreign = given().baseUri(platform.gatewayUrl())
                .header("Authorization", "Bearer " + adminKey)
                .contentType(ContentType.JSON)
                .body("{\"account_id\":\"" + platform.accountId + "\"}")
                .post("/v2/billing/invoices/finalize");
        assertThat(foreign.statusCode()).as(foreign.asString()).isEqualTo(403);
        assertThat(foreign.contentType()).startsWith("application/problem+json");

        Response own = given().baseUri(platform.gatewayUrl())
                .header("Authorization", "Bearer " + adminKey)
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/v2/billing/invoices/finalize");
        assertThat(own.statusCode()).as(own.asString()).isEqualTo(200);
    }

    @Test
    void theAdminApiRefusesAccountKeysAndServesTheOperator() {
        for (String path : List.of("/admin/billing/invoices/finalize", "/admin/accounts")) {
            Response tenant = given().baseUri(platform.gatewayUrl())
                    .header("Authorization", "Bearer " + platform.apiKey)
                    .contentType(ContentType.JSON)
                    .body("{}")
                    .post(path);
            assertThat(tenant.statusCode()).as(path + " " + tenant.asString()).isIn(401, 403);
        }
        Response finalized = operator().body("{}").post("/admin/billing/invoices/finalize");
        assertThat(finalized.statusCode()).as(finalized.asString()).isEqualTo(200);
        assertThat(finalized.<String>path("period")).matches("\\d{4}-\\d{2}");
        assertThat(finalized.<List<String>>path("finalized")).isNotNull();
    }

    private static io.restassured.specification.RequestSpecification operator() {
        return given().baseUri(platform.gatewayUrl())
                .header("Authorization", "Bearer " + Platform.OPERATOR_KEY)
                .contentType(ContentType.JSON);
    }
}
