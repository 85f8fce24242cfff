package io.cloudnexus.webhook;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.cloudnexus.testsupport.IdentityTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** REST calls as an account, with a gateway identity token. */
public final class Api {

    private Api() {}

    public static RequestSpecification as(String accountId) {
        return given().auth().oauth2(IdentityTokens.forAccount(accountId)).contentType(ContentType.JSON);
    }

    /** Creates an endpoint and returns the response (201 expected by callers). */
    public static Response createEndpoint(String accountId, String url, List<String> events) {
        return as(accountId).body(Map.of("url", url, "events", events)).post("/webhooks");
    }
}
