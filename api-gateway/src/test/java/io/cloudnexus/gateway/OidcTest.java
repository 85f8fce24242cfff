package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudnexus.testsupport.RecordingReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

/** OIDC access tokens from the in-JVM provider (OidcWiremockTestResource) as credentials. */
@QuarkusTest
@GatewayTest
class OidcTest {

    RecordingReceiver upstream = UpstreamReceiverResource.receiver();

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    /** An access token of the test provider (signed with its privateKey.jwk). */
    static String accessToken(String accountId, String scope, Set<String> roles) {
        return accessToken(accountId, scope, roles, "https://service.example.com");
    }

    static String accessToken(String accountId, String scope, Set<String> roles, String audience) {
        var builder = Jwt.preferredUserName("alice")
                .issuer("https://server.example.com")
                .audience(audience)
                .groups(roles)
                .expiresIn(300);
        if (accountId != null) {
            builder.claim("cloudnexus_account", accountId);
        }
        if (scope != null) {
            builder.claim("scope", scope);
        }
        return builder.jws().keyId("1").sign();
    }

    @Test
    void anOidcTokenIsForwardedAsTheAccountsIdentity() throws Exception {
        String accountId = Accounts.createAccount("enterprise", null);
        Response response = given().auth()
                .oauth2(accessToken(accountId, "openid read write", Set.of("user")))
                .header("X-CloudNexus-Id", accountId)
                .contentType(ContentType.JSON)
                .body("{\"count\":1}")
                .post("/v2/servers");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.header("X-RateLimit-Limit")).isEqualTo("2000");
        var forwarded = upstream.awaitCount(1, Duration.ofSeconds(5)).get(0);
        JwtClaims claims = IdentityTokenVerifier.verify(forwarded.header("Authorization"));
        assertThat(claims.getSubject()).isEqualTo(accountId);
        assertThat(claims.getStringClaimValue("tier")).isEqualTo("enterprise");
        assertThat(claims.getStringListClaimValue("groups")).containsExactlyInAnyOrder("read", "write");
        assertThat(claims.getIssuer()).isEqualTo("cloudnexus-gateway");
    }

    @Test
    void scopesAndAccountsOfTokensAreEnforced() {
        String accountId = Accounts.createAccount("starter", null);
        String readOnly = accessToken(accountId, "read", Set.of());
        assertThat(given().auth()
                        .oauth2(readOnly)
                        .header("X-CloudNexus-Id", accountId)
                        .get("/v2/servers")
                        .statusCode())
                .isEqualTo(200);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(readOnly)
                        .header("X-CloudNexus-Id", accountId)
                        .contentType(ContentType.JSON)
                        .body("{}")
                        .post("/v2/servers"),
                403);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(readOnly)
                        .header("X-CloudNexus-Id", "acc_other")
                        .get("/v2/servers"),
                403);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(accessToken(null, "read", Set.of()))
                        .header("X-CloudNexus-Id", accountId)
                        .get("/v2/servers"),
                403);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(accessToken("acc_unknown000", "read", Set.of()))
                        .header("X-CloudNexus-Id", "acc_unknown000")
                        .get("/v2/servers"),
                403);
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void forgedOrExpiredTokensAre401() throws Exception {
        String accountId = Accounts.createAccount("starter", null);
        var generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Jwt.preferredUserName("mallory")
                .issuer("https://server.example.com")
                .claim("cloudnexus_account", accountId)
                .claim("scope", "read")
                .jws()
                .keyId("1")
                .sign(generator.generateKeyPair().getPrivate());
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(forged)
                        .header("X-CloudNexus-Id", accountId)
                        .get("/v2/servers"),
                401);
        long now = System.currentTimeMillis() / 1000;
        String expired = Jwt.preferredUserName("alice")
                .issuer("https://server.example.com")
                .claim("cloudnexus_account", accountId)
                .claim("scope", "read")
                .issuedAt(now - 3600)
                .expiresAt(now - 1800)
                .jws()
                .keyId("1")
                .sign();
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(expired)
                        .header("X-CloudNexus-Id", accountId)
                        .get("/v2/servers"),
                401);
        assertThat(upstream.count()).isZero();
    }

    @Test
    void tokensForAnotherAudienceAre401() {
        String accountId = Accounts.createAccount("starter", null);
        String elsewhere =
                accessToken(accountId, "read write", Set.of("cloudnexus-admin"), "https://other.example.com");
        Response refused = given().auth()
                .oauth2(elsewhere)
                .header("X-CloudNexus-Id", accountId)
                .get("/v2/servers");
        StatusCodesTest.assertProblem(refused, 401);
        assertThat(refused.jsonPath().getString("detail")).contains("audience");
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(elsewhere)
                        .contentType(ContentType.JSON)
                        .body(Map.of("name", "x", "tier", "starter"))
                        .post("/admin/accounts"),
                401);
        assertThat(upstream.count()).isZero();
        assertThat(given().auth()
                        .oauth2(accessToken(accountId, "read", Set.of()))
                        .header("X-CloudNexus-Id", accountId)
                        .get("/v2/servers")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void theAdminRoleOpensTheAdminApi() {
        Map<String, String> body = Map.of("name", "Via OIDC", "tier", "starter");
        Response created = given().auth()
                .oauth2(accessToken(null, null, Set.of("cloudnexus-admin")))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/admin/accounts");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(accessToken(null, null, Set.of("user")))
                        .contentType(ContentType.JSON)
                        .body(body)
                        .post("/admin/accounts"),
                403);
    }
}
