package io.cloudnexus.gateway.oauth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudnexus.gateway.Accounts;
import io.cloudnexus.gateway.GatewayTest;
import io.cloudnexus.gateway.IdentityTokenVerifier;
import io.cloudnexus.gateway.UpstreamReceiverResource;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The gateway as an OAuth 2.0 authorization server (client credentials): clients, the token endpoint with both
 * client authentication methods and its RFC 6749 errors, tokens on /v2 like API keys, revocation (this replica
 * at once, another replica's through the shared list within the refresh: 1 s here), expiry, deleted clients,
 * the failed-authentication throttle (5 per 3 s here), metadata and JWKS.
 */
@QuarkusTest
@GatewayTest
class OAuthTest {

    @Inject
    DataSource dataSource;

    @Inject
    AccessTokens accessTokens;

    RecordingReceiver upstream = UpstreamReceiverResource.receiver();

    record Client(Accounts.Credentials key, String id, String secret) {}

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    @Test
    void clientSecretIsShownOnceAndStoredHashed() throws Exception {
        Client client = newClient("read", "write");
        assertThat(client.id()).matches("cli_[0-9A-Za-z]{20}");
        assertThat(client.secret()).matches("cn_live_cs_[0-9A-Za-z]{40}");
        List<Map<String, Object>> listed = given().auth()
                .oauth2(client.key().key())
                .get("/v2/oauth/clients")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("data");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0))
                .containsEntry("client_id", client.id())
                .containsEntry("scopes", List.of("read", "write"))
                .doesNotContainKey("client_secret");
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT secret_hash FROM oauth_client WHERE id = ?")) {
            s.setString(1, client.id());
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).hasSize(64).doesNotContain(client.secret());
            }
        }
    }

    @Test
    void basicAuthTokenIsASignedJwtThatListsServersLikeAnApiKey() throws Exception {
        Client client = newClient("read", "write");
        Response answer = given().header("Authorization", basic(client))
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .post("/v2/oauth/token");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        assertThat(answer.<String>path("token_type")).isEqualTo("Bearer");
        assertThat(answer.<Integer>path("expires_in")).isEqualTo(3600);
        assertThat(answer.<String>path("scope")).isEqualTo("read write");
        String token = answer.path("access_token");

        // verified with the published JWKS alone, as any resource server would
        String jwks =
                given().get("/v2/oauth/jwks").then().statusCode(200).extract().asString();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        assertThat(jws.getAlgorithmHeaderValue()).isEqualTo("RS256");
        assertThat(jws.getHeader("typ")).isEqualTo("at+jwt");
        jws.setKey(new VerificationJwkSelector()
                .select(jws, new JsonWebKeySet(jwks).getJsonWebKeys())
                .getKey());
        assertThat(jws.verifySignature()).isTrue();
        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertThat(claims.getIssuer()).isEqualTo("http://127.0.0.1:8080");
        assertThat(claims.getAudience()).containsExactly("cloudnexus-api");
        assertThat(claims.getSubject()).isEqualTo(client.id());
        assertThat(claims.getStringClaimValue("cloudnexus_account"))
                .isEqualTo(client.key().accountId());
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue())
                .isEqualTo(3600);

        Response servers = given().auth().oauth2(token).get("/v2/servers");
        assertThat(servers.statusCode()).as(servers.asString()).isEqualTo(200);
        assertThat(servers.header("X-RateLimit-Limit")).isEqualTo("500");
        ReceivedRequest forwarded =
                upstream.awaitCount(1, Duration.ofSeconds(5)).get(0);
        JwtClaims identity = IdentityTokenVerifier.verify(forwarded.header("Authorization"));
        assertThat(identity.getSubject()).isEqualTo(client.key().accountId());
        assertThat(identity.getStringListClaimValue("groups")).containsExactlyInAnyOrder("read", "write");
        assertThat(forwarded.header("Authorization")).doesNotContain(token);

        // another account in X-CloudNexus-Id: 403, as with a key
        assertThat(given().auth()
                        .oauth2(token)
                        .header("X-CloudNexus-Id", Accounts.professional().accountId())
                        .get("/v2/servers")
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void postAuthWithANarrowerScopeAndItsLimits() {
        Client client = newClient("read", "write");
        Response answer = given().contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", client.id())
                .formParam("client_secret", client.secret())
                .formParam("scope", "read")
                .post("/v2/oauth/token");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(answer.<String>path("scope")).isEqualTo("read");
        Response write = given().auth()
                .oauth2(answer.<String>path("access_token"))
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/v2/servers");
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.contentType()).startsWith("application/problem+json");
        assertThat(upstream.count()).isZero();
    }

    @Test
    void errorsAreInTheOAuthFormat() {
        Client client = newClient("read");
        Response wrongSecret = given().auth()
                .preemptive()
                .basic(client.id(), "cn_live_cs_" + "x".repeat(40))
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .post("/v2/oauth/token");
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.contentType()).startsWith("application/json");
        assertThat(wrongSecret.<String>path("error")).isEqualTo("invalid_client");
        assertThat(wrongSecret.header("WWW-Authenticate")).startsWith("Basic");

        assertThat(token(client, Map.of("grant_type", "client_credentials", "scope", "read write"))
                        .<String>path("error"))
                .isEqualTo("invalid_scope");
        assertThat(token(client, Map.of("grant_type", "client_credentials", "scope", "operator"))
                        .<String>path("error"))
                .isEqualTo("invalid_scope");
        Response grant = token(client, Map.of("grant_type", "password"));
        assertThat(grant.statusCode()).isEqualTo(400);
        assertThat(grant.<String>path("error")).isEqualTo("unsupported_grant_type");
        assertThat(token(client, Map.of()).<String>path("error")).isEqualTo("invalid_request");

        Response json = given().header("Authorization", basic(client))
                .contentType(ContentType.JSON)
                .body("{\"grant_type\":\"client_credentials\"}")
                .post("/v2/oauth/token");
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json.<String>path("error")).isEqualTo("invalid_request");
        Response twice = given().header("Authorization", basic(client))
                .contentType(ContentType.URLENC)
                .body("grant_type=client_credentials&grant_type=client_credentials")
                .post("/v2/oauth/token");
        assertThat(twice.<String>path("error")).isEqualTo("invalid_request");
    }

    @Test
    void revokedTokenIs401AtOnceHereAndViaTheSharedListElsewhere() throws Exception {
        Client client = newClient("read");
        String token = accessToken(client);
        String other = accessToken(client);
        assertThat(given().auth().oauth2(token).get("/v2/regions").statusCode()).isEqualTo(200);

        Response revoked = given().header("Authorization", basic(client))
                .contentType(ContentType.URLENC)
                .formParam("token", token)
                .post("/v2/oauth/revoke");
        assertThat(revoked.statusCode()).isEqualTo(200);
        Response refused = given().auth().oauth2(token).get("/v2/regions");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(given().auth().oauth2(other).get("/v2/regions").statusCode()).isEqualTo(200);

        // another replica revoked it: only the shared table knows; this replica reads it within the refresh
        String jti = JwtClaims.parse(new String(Base64.getUrlDecoder().decode(other.split("\\.")[1])))
                .getJwtId();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO oauth_revocation (id, kind, expires_at)"
                        + " VALUES (?, 'token', now() + interval '1 hour')")) {
            s.setString(1, jti);
            s.executeUpdate();
        }
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> given().auth().oauth2(other).get("/v2/regions").statusCode() == 401);

        // revoking garbage or another client's token: 200 and nothing happens (RFC 7009)
        Client stranger = newClient("read");
        String strangers = accessToken(stranger);
        assertThat(given().header("Authorization", basic(client))
                        .contentType(ContentType.URLENC)
                        .formParam("token", strangers)
                        .post("/v2/oauth/revoke")
                        .statusCode())
                .isEqualTo(200);
        assertThat(given().auth().oauth2(strangers).get("/v2/regions").statusCode())
                .isEqualTo(200);
    }

    @Test
    void expiredTamperedAndForeignTokensAre401() {
        Client client = newClient("read");
        Instant past = Instant.now().minus(Duration.ofHours(2));
        String expired = accessTokens.sign(
                client.key().accountId(), client.id(), Set.of("read"), past, past.plus(Duration.ofHours(1)));
        Response answer = given().auth().oauth2(expired).get("/v2/regions");
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.<String>path("detail")).contains("expired");

        String valid = accessToken(client);
        String[] parts = valid.split("\\.");
        String forged = parts[0] + "."
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]))
                                .replace("\"read\"", "\"admin\"")
                                .getBytes())
                + "." + parts[2];
        assertThat(given().auth().oauth2(forged).get("/v2/regions").statusCode())
                .isEqualTo(401);
        assertThat(upstream.count()).isZero();
    }

    @Test
    void deletingAClientRevokesItsTokensAndOthersCannotDeleteIt() {
        Client client = newClient("read");
        String token = accessToken(client);
        Accounts.Credentials other = Accounts.professional();
        assertThat(given().auth()
                        .oauth2(other.key())
                        .delete("/v2/oauth/clients/{id}", client.id())
                        .statusCode())
                .isEqualTo(404);
        assertThat(given().auth().oauth2(token).get("/v2/regions").statusCode()).isEqualTo(200);

        assertThat(given().auth()
                        .oauth2(client.key().key())
                        .delete("/v2/oauth/clients/{id}", client.id())
                        .statusCode())
                .isEqualTo(204);
        assertThat(given().auth().oauth2(token).get("/v2/regions").statusCode()).isEqualTo(401);
        assertThat(token(client, Map.of("grant_type", "client_credentials")).<String>path("error"))
                .isEqualTo("invalid_client");
        assertThat(given().auth()
                        .oauth2(client.key().key())
                        .delete("/v2/oauth/clients/{id}", "cli_../x")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aClientGetsNoScopeItsCreatorLacks() {
        Accounts.Credentials reader = Accounts.newAccount("starter", "read", "write");
        Response escalation = given().auth()
                .oauth2(reader.key())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "ci", "scopes", List.of("admin")))
                .post("/v2/oauth/clients");
        assertThat(escalation.statusCode()).isEqualTo(403);
        assertThat(escalation.contentType()).startsWith("application/problem+json");
        Response unauthenticated =
                given().contentType(ContentType.JSON).body("not json").post("/v2/oauth/clients");
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        Response bad = given().auth()
                .oauth2(reader.key())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "ci", "scopes", List.of("root")))
                .post("/v2/oauth/clients");
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void failedClientAuthenticationsAreThrottledPerClientId() {
        Client client = newClient("read");
        for (int i = 0; i < 5; i++) {
            Response wrong = given().contentType(ContentType.URLENC)
                    .formParam("grant_type", "client_credentials")
                    .formParam("client_id", client.id())
                    .formParam("client_secret", "nope")
                    .post("/v2/oauth/token");
            assertThat(wrong.statusCode()).as(wrong.asString()).isEqualTo(401);
        }
        // even the right secret waits now: the client id used up its failures
        Response throttled = token(client, Map.of("grant_type", "client_credentials"));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.<String>path("error")).isEqualTo("temporarily_unavailable");
        assertThat(Integer.parseInt(throttled.header("Retry-After"))).isBetween(1, 3);
        // another client from the same address is not held up (20 per address here)
        assertThat(accessToken(newClient("read"))).isNotEmpty();
        await().atMost(Duration.ofSeconds(6))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> token(client, Map.of("grant_type", "client_credentials"))
                                .statusCode()
                        == 200);
    }

    @Test
    void failedClientAuthenticationsAreThrottledPerAddress() {
        Client client = newClient("read");
        int attempts = 0;
        Response answer;
        do {
            // a new made-up client id each time: only the address ties the attempts together
            answer = given().contentType(ContentType.URLENC)
                    .formParam("grant_type", "client_credentials")
                    .formParam(
                            "client_id",
                            "cli_"
                                    + java.util
                                            .UUID
                                            .randomUUID()
                                            .toString()
                                            .replace("-", "")
                                            .substring(0, 20))
                    .formParam("client_secret", "guess")
                    .post("/v2/oauth/token");
            attempts++;
        } while (answer.statusCode() == 401 && attempts <= 21);
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(attempts).isBetween(2, 21);
        assertThat(token(client, Map.of("grant_type", "client_credentials")).statusCode())
                .isEqualTo(429);
        await().atMost(Duration.ofSeconds(6))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> token(client, Map.of("grant_type", "client_credentials"))
                                .statusCode()
                        == 200);
    }

    @Test
    void metadataAndJwksArePublished() throws Exception {
        Response metadata = given().get("/.well-known/oauth-authorization-server");
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.<String>path("issuer")).isEqualTo("http://127.0.0.1:8080");
        assertThat(metadata.<String>path("token_endpoint")).isEqualTo("http://127.0.0.1:8080/v2/oauth/token");
        assertThat(metadata.<String>path("revocation_endpoint")).isEqualTo("http://127.0.0.1:8080/v2/oauth/revoke");
        assertThat(metadata.<String>path("jwks_uri")).isEqualTo("http://127.0.0.1:8080/v2/oauth/jwks");
        assertThat(metadata.<List<String>>path("grant_types_supported")).containsExactly("client_credentials");
        JsonWebKeySet jwks = new JsonWebKeySet(given().get("/v2/oauth/jwks").asString());
        assertThat(jwks.getJsonWebKeys()).isNotEmpty().allSatisfy(k -> {
            assertThat(k.getKeyId()).startsWith("k_");
            assertThat(k.toJson()).doesNotContain("\"d\"");
        });
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM oauth_signing_key");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    private Client newClient(String... scopes) {
        Accounts.Credentials key = Accounts.newAccount("professional", "read", "write");
        Response created = given().auth()
                .oauth2(key.key())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "ci", "scopes", List.of(scopes)))
                .post("/v2/oauth/clients");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        return new Client(key, created.path("client_id"), created.path("client_secret"));
    }

    private static String basic(Client client) {
        return "Basic " + Base64.getEncoder().encodeToString((client.id() + ":" + client.secret()).getBytes());
    }

    private static Response token(Client client, Map<String, String> form) {
        var request = given().header("Authorization", basic(client)).contentType(ContentType.URLENC);
        form.forEach(request::formParam);
        return request.post("/v2/oauth/token");
    }

    private static String accessToken(Client client) {
        Response answer = token(client, Map.of("grant_type", "client_credentials"));
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        return answer.path("access_token");
    }
}
