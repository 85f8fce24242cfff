package io.cloudnexus.compute;

import static io.restassured.RestAssured.given;

import java.time.Duration;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.IdentityTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Shared helpers of the compute tests: an API caller per account, request bodies, waiting for a server. */
final class ComputeTesting {

    private ComputeTesting() {}

    static String newAccount() {
        return ResourceIds.newId(ResourceIds.ACCOUNT);
    }

    static RequestSpecification as(String account) {
        return given().auth().oauth2(IdentityTokens.forAccount(account)).contentType(ContentType.JSON);
    }

    static String createBody(int count) {
        return "{\"region\":\"us-east-1\",\"plan\":\"starter\",\"image\":\"ubuntu-22.04\",\"count\":" + count + "}";
    }

    /** Creates one server for {@code account}; returns its id. */
    static String createServer(String account) {
        return as(account)
                .body(createBody(1))
                .post("/servers")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    static void awaitActive(String account, String id) {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> "active"
                        .equals(as(account)
                                .get("/servers/" + id)
                                .then()
                                .extract()
                                .path("status")));
    }
}
