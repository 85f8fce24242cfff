package io.cloudnexus.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.restassured.response.Response;

/**
 * What every service behind the gateway promises: an API request without a valid gateway identity
 * token (missing, malformed, signed by another key, expired) gets 401; an authenticated request for
 * an unknown route gets 404 problem details carrying the request id.
 */
public interface IdentityProtectedContract {

    /** A path of the service's API that needs an identity token (must exist or not, either is fine). */
    default String protectedPath() {
        return "/no-such-resource";
    }

    @Test
    default void refusesRequestsWithoutAValidIdentityToken() {
        assertThat(given().get(protectedPath()).statusCode()).isEqualTo(401);
        assertThat(given().auth().oauth2("not-a-jwt").get(protectedPath()).statusCode()).isEqualTo(401);
        assertThat(given().auth().oauth2(IdentityTokens.signedByStranger("acc_boot")).get(protectedPath())
                .statusCode()).isEqualTo(401);
        assertThat(given().auth().oauth2(IdentityTokens.expired("acc_boot")).get(protectedPath()).statusCode())
                .isEqualTo(401);
    }

    @Test
    default void answersAuthenticatedUnknownPathsWithProblemDetails() {
        Response response = given().auth().oauth2(IdentityTokens.forAccount("acc_boot"))
                .header("X-Request-Id", "req-boot-check")
                .get("/definitely/not/a/route");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(404);
        assertThat(response.jsonPath().getString("request_id")).isEqualTo("req-boot-check");
        assertThat(response.header("X-Request-Id")).isEqualTo("req-boot-check");
    }
}
