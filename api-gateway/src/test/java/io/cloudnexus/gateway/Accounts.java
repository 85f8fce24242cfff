package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;

/** Creates accounts and keys through the admin API with the test bootstrap admin key. */
public final class Accounts {

    public static final String ADMIN_KEY = "test-admin-key";

    /** An account and one of its keys. */
    public record Credentials(String accountId, String keyId, String key) {}

    private Accounts() {}

    public static String createAccount(String tier, Integer customLimit) {
        Map<String, Object> body = customLimit == null
                ? Map.of("name", "Test " + tier, "tier", tier)
                : Map.of("name", "Test " + tier, "tier", tier, "custom_rate_limit", customLimit);
        return given().auth()
                .oauth2(ADMIN_KEY)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/admin/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    public static Credentials key(String accountId, String... scopes) {
        var answer = given().auth()
                .oauth2(ADMIN_KEY)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "test", "scopes", List.of(scopes)))
                .post("/admin/accounts/{id}/keys", accountId)
                .then()
                .statusCode(201)
                .extract();
        return new Credentials(accountId, answer.path("id"), answer.path("key"));
    }

    public static Credentials newAccount(String tier, String... scopes) {
        return key(createAccount(tier, null), scopes);
    }

    public static Credentials professional() {
        return newAccount("professional", "read", "write");
    }
}
