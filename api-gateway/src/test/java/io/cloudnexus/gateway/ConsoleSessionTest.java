package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudnexus.gateway.service.ApiKeys;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Console sessions ({@code /console/session}) and /v2 requests authenticated by them: the cookie's
 * attributes, CSRF and Origin checks, sign-out, revocation, expiry, the shared rate limit, stream tickets,
 * and that no cookie, key or CSRF token reaches a log. Idle timeout 5 s; 3 failed sign-ins per 2 s.
 */
@QuarkusTest
@GatewayTest
@TestProfile(ConsoleSessionTest.Sessions.class)
class ConsoleSessionTest {

    public static class Sessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "cloudnexus.gateway.console.idle-timeout",
                    "5s",
                    "cloudnexus.gateway.console.sign-in-failures",
                    "3",
                    "cloudnexus.gateway.console.sign-in-window",
                    "2s",
                    // every log line that could show a secret: the access log and the gateway's debug lines
                    "quarkus.http.access-log.enabled",
                    "true",
                    "quarkus.log.category.\"io.cloudnexus.gateway\".level",
                    "DEBUG");
        }
    }

    /** A signed-in console: the cookie value and the CSRF token. */
    record Signed(Accounts.Credentials key, String cookie, String csrf, Response answer) {}

    @Inject
    DataSource dataSource;

    RecordingReceiver upstream = UpstreamReceiverResource.receiver();

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    @Test
    void signInSetsAnHttpOnlyStrictCookieAndAnswersTheSession() throws Exception {
        Accounts.Credentials key = Accounts.professional();
        Signed signed = signIn(key);
        Response answer = signed.answer();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.jsonPath().getString("account_id")).isEqualTo(key.accountId());
        assertThat(answer.jsonPath().getString("key_prefix")).isEqualTo(ApiKeys.displayPrefix(key.key()));
        assertThat(answer.jsonPath().getList("scopes")).containsExactly("read", "write");
        assertThat(answer.jsonPath().getString("tier")).isEqualTo("professional");
        assertThat(signed.csrf()).matches("[A-Za-z0-9_-]{43}");
        assertThat(Instant.parse(answer.jsonPath().getString("expires_at")))
                .isBetween(
                        Instant.now().plus(Duration.ofHours(8)).minusSeconds(60),
                        Instant.now().plus(Duration.ofHours(8)));
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        assertThat(answer.header("Content-Security-Policy")).contains("frame-ancestors 'none'");

        String setCookie = answer.header("Set-Cookie");
        assertThat(setCookie)
                .startsWith("cn_console=" + signed.cookie() + ";")
                .contains("; Path=/")
                .contains("; HttpOnly")
                .contains("; SameSite=Strict")
                .as("plain http to localhost: no Secure")
                .doesNotContain("Secure");
        assertThat(signed.cookie()).matches("[A-Za-z0-9_-]{43}");

        // the database holds the cookie's hash only
        String row = sessionRows(key.keyId()).get(0);
        assertThat(row).contains(ApiKeys.hash(signed.cookie())).doesNotContain(signed.cookie() + "\"");

        Response current = given().cookie("cn_console", signed.cookie()).get("/console/session");
        assertThat(current.statusCode()).isEqualTo(200);
        assertThat(current.header("Set-Cookie")).isNull();
        assertThat(current.header("Cache-Control")).isEqualTo("no-store");
        assertThat(current.jsonPath().getString("csrf_token")).isEqualTo(signed.csrf());
        assertThat(current.jsonPath().getString("account_id")).isEqualTo(key.accountId());

        assertThat(given().get("/console/session").statusCode()).isEqualTo(401);
        assertThat(given().cookie("cn_console", "x".repeat(43))
                        .get("/console/session")
                        .statusCode())
                .isEqualTo(401);

        // signing in again from the same browser replaces its session
        Response again = given().cookie("cn_console", signed.cookie())
                .contentType(ContentType.JSON)
                .body(Map.of("api_key", key.key()))
                .post("/console/session");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.cookie("cn_console")).isNotEqualTo(signed.cookie());
        assertThat(given().cookie("cn_console", signed.cookie())
                        .get("/console/session")
                        .statusCode())
                .isEqualTo(401);
        assertThat(given().cookie("cn_console", again.cookie("cn_console"))
                        .get("/console/session")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void theCookieIsSecureUnlessThePlainHttpRequestWentToLocalhost() throws Exception {
        Accounts.Credentials key = Accounts.professional();
        for (String host : List.of("console.example.com", "10.1.2.3:8080")) {
            String raw = raw(
                    "POST",
                    "/console/session",
                    host,
                    Map.of("Content-Type", "application/json"),
                    "{\"api_key\":\"" + key.key() + "\"}");
            assertThat(raw).startsWith("HTTP/1.1 200");
            assertThat(setCookieLine(raw))
                    .contains("; HttpOnly")
                    .contains("; SameSite=Strict")
                    .endsWith("; Secure");
        }
        for (String host : List.of("127.0.0.1:" + RestAssured.port, "[::1]:" + RestAssured.port, "localhost")) {
            String raw = raw(
                    "POST",
                    "/console/session",
                    host,
                    Map.of("Content-Type", "application/json"),
                    "{\"api_key\":\"" + key.key() + "\"}");
            assertThat(raw).startsWith("HTTP/1.1 200");
            assertThat(setCookieLine(raw)).doesNotContain("Secure");
        }
        // the Origin must then be the request's own
        String foreign = raw(
                "POST",
                "/console/session",
                "console.example.com",
                Map.of("Content-Type", "application/json", "Origin", "http://localhost:" + RestAssured.port),
                "{\"api_key\":\"" + key.key() + "\"}");
        assertThat(foreign).startsWith("HTTP/1.1 403");
        String own = raw(
                "POST",
                "/console/session",
                "console.example.com",
                Map.of("Content-Type", "application/json", "Origin", "http://console.example.com"),
                "{\"api_key\":\"" + key.key() + "\"}");
        assertThat(own).startsWith("HTTP/1.1 200");
    }

    @Test
    void aBadSignInIsAProblemWithTheWordingOfV2() {
        Accounts.Credentials key = Accounts.professional();
        String unknown = ApiKeys.newKey();
        Response v2 = given().auth().oauth2(unknown).get("/v2/regions");
        Response wrong = given().contentType(ContentType.JSON)
                .body(Map.of("api_key", unknown))
                .post("/console/session");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        assertThat(wrong.jsonPath().getString("detail")).isEqualTo(v2.jsonPath().getString("detail"));
        assertThat(wrong.header("Set-Cookie")).isNull();
        Response notAKey = given().contentType(ContentType.JSON)
                .body(Map.of("api_key", "hunter2"))
                .post("/console/session");
        assertThat(notAKey.statusCode()).isEqualTo(401);
        assertThat(notAKey.jsonPath().getString("detail"))
                .isEqualTo(v2.jsonPath().getString("detail"));

        Response malformed =
                given().contentType(ContentType.JSON).body("{\"api_key\":").post("/console/session");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(given().contentType(ContentType.JSON)
                        .body("[\"" + key.key() + "\"]")
                        .post("/console/session")
                        .statusCode())
                .isEqualTo(400);
        assertThat(given().contentType(ContentType.TEXT)
                        .body("api_key=" + key.key())
                        .post("/console/session")
                        .statusCode())
                .isEqualTo(415);
        assertThat(given().contentType(ContentType.JSON)
                        .body("{\"api_key\":\"" + key.key() + "\",\"pad\":\"" + "x".repeat(5000) + "\"}")
                        .post("/console/session")
                        .statusCode())
                .isEqualTo(413);
        assertThat(given().contentType(ContentType.JSON)
                        .header("Origin", "https://evil.example")
                        .body(Map.of("api_key", key.key()))
                        .post("/console/session")
                        .statusCode())
                .isEqualTo(403);
        assertThat(given().contentType(ContentType.JSON)
                        .header("Origin", "null")
                        .body(Map.of("api_key", key.key()))
                        .post("/console/session")
                        .statusCode())
                .isEqualTo(403);
        assertThat(given().put("/console/session").statusCode()).isEqualTo(405);
        awaitSignInAllowed(key);
    }

    @Test
    void failedSignInsAreThrottledPerAddress() {
        Accounts.Credentials key = Accounts.professional();
        awaitSignInAllowed(key);
        for (int i = 0; i < 3; i++) {
            assertThat(given().contentType(ContentType.JSON)
                            .body(Map.of("api_key", ApiKeys.newKey()))
                            .post("/console/session")
                            .statusCode())
                    .isEqualTo(401);
        }
        Response throttled = given().contentType(ContentType.JSON)
                .body(Map.of("api_key", key.key()))
                .post("/console/session");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isNotNull();
        awaitSignInAllowed(key);
    }

    @Test
    void aSessionCallIsTheKeysCallWithCsrfAndOriginChecked() throws Exception {
        Accounts.Credentials key = Accounts.professional();
        Signed signed = signIn(key);

        Response byKey = given().auth().oauth2(key.key()).get("/v2/regions");
        assertThat(byKey.statusCode()).isEqualTo(200);
        String keyToken = upstream.awaitCount(1, Duration.ofSeconds(5)).get(0).header("Authorization");

        Response bySession = session(signed).get("/v2/regions");
        assertThat(bySession.statusCode()).isEqualTo(200);
        assertThat(bySession.header("X-RateLimit-Limit")).isEqualTo("500");
        ReceivedRequest forwarded =
                upstream.awaitCount(2, Duration.ofSeconds(5)).get(1);
        JwtClaims claims = IdentityTokenVerifier.verify(forwarded.header("Authorization"));
        assertThat(claims.getSubject()).isEqualTo(key.accountId());
        assertThat(claims.getStringListClaimValue("groups")).containsExactlyInAnyOrder("read", "write");
        assertThat(forwarded.header("Authorization"))
                .as("the same identity token")
                .isEqualTo(keyToken);
        assertThat(forwarded.header("Cookie")).isNull();
        assertThat(forwarded.header("X-CSRF-Token")).isNull();

        assertThat(given().cookie("cn_console", signed.cookie())
                        .get("/v2/regions")
                        .statusCode())
                .as("no CSRF header")
                .isEqualTo(403);
        assertThat(given().cookie("cn_console", signed.cookie())
                        .header("X-CSRF-Token", "x".repeat(43))
                        .get("/v2/regions")
                        .statusCode())
                .as("a wrong CSRF token")
                .isEqualTo(403);
        Response foreign =
                session(signed).header("Origin", "https://evil.example").get("/v2/regions");
        assertThat(foreign.statusCode()).as("a foreign Origin").isEqualTo(403);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        assertThat(session(signed)
                        .header("Origin", "http://localhost:" + RestAssured.port)
                        .get("/v2/regions")
                        .statusCode())
                .as("the gateway's own Origin")
                .isEqualTo(200);

        Accounts.Credentials other = Accounts.professional();
        assertThat(session(signed)
                        .header("X-CloudNexus-Id", other.accountId())
                        .get("/v2/regions")
                        .statusCode())
                .as("another account")
                .isEqualTo(403);
        assertThat(session(signed)
                        .header("X-CloudNexus-Id", key.accountId())
                        .get("/v2/regions")
                        .statusCode())
                .isEqualTo(200);

        // scopes are the key's: a read-only key's session may not write
        Signed readOnly = signIn(Accounts.newAccount("starter", "read"));
        assertThat(session(readOnly)
                        .contentType(ContentType.JSON)
                        .body("{}")
                        .post("/v2/servers")
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void theGatewaysOwnKeyAndClientEndpointsTakeTheSessionLikeAProxiedRoute() throws Exception {
        Accounts.Credentials key = Accounts.professional();
        Signed signed = signIn(key);
        String newKey = "{\"name\":\"from the console\",\"scopes\":[\"read\"]}";

        Response none = given().get("/v2/api-keys");
        assertThat(none.statusCode()).as("no credential").isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/problem+json");
        for (String path : List.of("/v2/api-keys", "/v2/oauth/clients")) {
            assertThat(given().cookie("cn_console", signed.cookie()).get(path).statusCode())
                    .as("GET %s without the CSRF header", path)
                    .isEqualTo(403);
            Response noCsrf = given().cookie("cn_console", signed.cookie())
                    .contentType(ContentType.JSON)
                    .body(newKey)
                    .post(path);
            assertThat(noCsrf.statusCode())
                    .as("POST %s without the CSRF header", path)
                    .isEqualTo(403);
            assertThat(noCsrf.contentType()).startsWith("application/problem+json");
            assertThat(noCsrf.<String>path("detail")).contains("X-CSRF-Token");
            assertThat(given().cookie("cn_console", signed.cookie())
                            .header("X-CSRF-Token", "x".repeat(43))
                            .contentType(ContentType.JSON)
                            .body(newKey)
                            .post(path)
                            .statusCode())
                    .as("POST %s with a wrong CSRF token", path)
                    .isEqualTo(403);
            Response foreign = session(signed)
                    .header("Origin", "https://evil.example")
                    .contentType(ContentType.JSON)
                    .body(newKey)
                    .post(path);
            assertThat(foreign.statusCode())
                    .as("POST %s from another Origin", path)
                    .isEqualTo(403);
            assertThat(foreign.<String>path("detail")).contains("Origin");
        }
        assertThat(given().auth()
                        .oauth2(key.key())
                        .get("/v2/api-keys")
                        .jsonPath()
                        .getList("data"))
                .as("nothing was created by the refused requests")
                .hasSize(1);
        assertThat(given().auth()
                        .oauth2(key.key())
                        .get("/v2/oauth/clients")
                        .jsonPath()
                        .getList("data"))
                .isEmpty();

        // with the CSRF token (and the gateway's own Origin): the key's own calls, its rate limit counted
        Response created = session(signed)
                .header("Origin", "http://localhost:" + RestAssured.port)
                .contentType(ContentType.JSON)
                .body(newKey)
                .post("/v2/api-keys");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.header("X-RateLimit-Limit")).isEqualTo("500");
        String madeKey = created.path("key");
        assertThat(given().auth().oauth2(madeKey).get("/v2/regions").statusCode())
                .isEqualTo(200);
        Response listed = session(signed).get("/v2/api-keys");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.jsonPath().getList("data.id")).contains(key.keyId(), created.<String>path("id"));
        assertThat(session(signed)
                        .delete("/v2/api-keys/" + created.<String>path("id"))
                        .statusCode())
                .isEqualTo(204);
        assertThat(given().auth().oauth2(madeKey).get("/v2/regions").statusCode())
                .as("revoked through the session")
                .isEqualTo(401);

        Response client = session(signed)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"ci\",\"scopes\":[\"read\",\"write\"]}")
                .post("/v2/oauth/clients");
        assertThat(client.statusCode()).as(client.asString()).isEqualTo(201);
        assertThat(client.<String>path("client_secret")).isNotBlank();
        assertThat(session(signed).get("/v2/oauth/clients").jsonPath().getList("data.client_id"))
                .containsExactly(client.<String>path("client_id"));
        assertThat(session(signed)
                        .delete("/v2/oauth/clients/" + client.<String>path("client_id"))
                        .statusCode())
                .isEqualTo(204);

        // the session's scopes are its key's: no escalation, and a read-only session may not write
        Response admin = session(signed)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"more\",\"scopes\":[\"admin\"]}")
                .post("/v2/api-keys");
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(admin.<String>path("detail")).contains("scopes this credential has");
        Signed readOnly = signIn(Accounts.newAccount("starter", "read"));
        assertThat(session(readOnly).get("/v2/api-keys").statusCode()).isEqualTo(200);
        assertThat(session(readOnly)
                        .contentType(ContentType.JSON)
                        .body(newKey)
                        .post("/v2/api-keys")
                        .statusCode())
                .isEqualTo(403);

        // an Authorization header wins over the cookie, as on proxied routes
        assertThat(given().cookie("cn_console", signed.cookie())
                        .header("X-CSRF-Token", signed.csrf())
                        .auth()
                        .oauth2("cn_live_sk_" + "0".repeat(40))
                        .get("/v2/api-keys")
                        .statusCode())
                .isEqualTo(401);

        assertThat(session(signed).delete("/console/session").statusCode()).isEqualTo(204);
        assertThat(session(signed).get("/v2/api-keys").statusCode())
                .as("signed out")
                .isEqualTo(401);
    }

    @Test
    void idempotencyIsTheKeysToo() {
        Accounts.Credentials key = Accounts.professional();
        Signed signed = signIn(key);
        Response first = session(signed)
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "console-1")
                .body("{\"a\":1}")
                .post("/v2/servers");
        assertThat(first.statusCode()).isEqualTo(200);
        Response replay = given().auth()
                .oauth2(key.key())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "console-1")
                .body("{\"a\":1}")
                .post("/v2/servers");
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void signOutEndsTheSessionAtTheServer() throws Exception {
        Accounts.Credentials key = Accounts.professional();
        Signed signed = signIn(key);
        assertThat(given().cookie("cn_console", signed.cookie())
                        .delete("/console/session")
                        .statusCode())
                .as("no CSRF token")
                .isEqualTo(403);
        Response out = session(signed).delete("/console/session");
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.header("Set-Cookie"))
                .startsWith("cn_console=;")
                .contains("Max-Age=0")
                .contains("HttpOnly");
        assertThat(sessionRows(key.keyId())).isEmpty();

        Response after = session(signed).get("/v2/regions");
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.contentType()).startsWith("application/problem+json");
        assertThat(given().cookie("cn_console", signed.cookie())
                        .get("/console/session")
                        .statusCode())
                .isEqualTo(401);
        assertThat(session(signed).delete("/console/session").statusCode()).isEqualTo(401);
    }

    @Test
    void revokingTheKeyEndsItsSessions() throws Exception {
        Accounts.Credentials key = Accounts.professional();
        Signed signed = signIn(key);
        Signed second = signIn(key);
        assertThat(session(signed).get("/v2/regions").statusCode()).isEqualTo(200);
        given().auth()
                .oauth2(Accounts.ADMIN_KEY)
                .delete("/admin/accounts/{a}/keys/{k}", key.accountId(), key.keyId())
                .then()
                .statusCode(200);
        assertThat(session(signed).get("/v2/regions").statusCode()).isEqualTo(401);
        assertThat(session(second).get("/v2/regions").statusCode()).isEqualTo(401);
        assertThat(given().cookie("cn_console", signed.cookie())
                        .get("/console/session")
                        .statusCode())
                .isEqualTo(401);
        assertThat(sessionRows(key.keyId())).isEmpty();
        assertThat(given().contentType(ContentType.JSON)
                        .body(Map.of("api_key", key.key()))
                        .post("/console/session")
                        .statusCode())
                .isEqualTo(401);
        awaitSignInAllowed(Accounts.professional());
    }

    @Test
    void aSessionEndsWhenIdleAndAtItsAbsoluteExpiry() throws Exception {
        Accounts.Credentials key = Accounts.professional();
        Signed idle = signIn(key);
        Signed old = signIn(key);
        assertThat(session(idle).get("/v2/regions").statusCode()).isEqualTo(200);
        assertThat(session(old).get("/v2/regions").statusCode()).isEqualTo(200);

        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE console_session SET expires_at = now() - interval '1 second' WHERE cookie_hash = ?")) {
            ps.setString(1, ApiKeys.hash(old.cookie()));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(session(old).get("/v2/regions").statusCode())
                .as("past its absolute expiry")
                .isEqualTo(401);

        Thread.sleep(6000);
        assertThat(session(idle).get("/v2/regions").statusCode())
                .as("idle for 6 s")
                .isEqualTo(401);
        assertThat(given().cookie("cn_console", idle.cookie())
                        .get("/console/session")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void sessionRequestsCountInTheKeysAccountBucket() {
        Accounts.Credentials key = Accounts.key(Accounts.createAccount("starter", 4), "read");
        Signed signed = signIn(key);
        assertThat(given().auth().oauth2(key.key()).get("/v2/regions").header("X-RateLimit-Remaining"))
                .isEqualTo("3");
        assertThat(session(signed).get("/v2/regions").header("X-RateLimit-Remaining"))
                .isEqualTo("2");
        assertThat(given().auth().oauth2(key.key()).get("/v2/regions").header("X-RateLimit-Remaining"))
                .isEqualTo("1");
        assertThat(session(signed).get("/v2/regions").header("X-RateLimit-Remaining"))
                .isEqualTo("0");
        Response limited = session(signed).get("/v2/regions");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(given().auth().oauth2(key.key()).get("/v2/regions").statusCode())
                .isEqualTo(429);
    }

    @Test
    void anAuthorizationHeaderWinsOverTheCookie() throws Exception {
        Signed signed = signIn(Accounts.professional());
        Accounts.Credentials other = Accounts.newAccount("starter", "read");
        Response response = session(signed).auth().oauth2(other.key()).get("/v2/regions");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("X-RateLimit-Limit")).isEqualTo("100");
        JwtClaims claims = IdentityTokenVerifier.verify(
                upstream.awaitCount(1, Duration.ofSeconds(5)).get(0).header("Authorization"));
        assertThat(claims.getSubject()).isEqualTo(other.accountId());

        assertThat(session(signed)
                        .auth()
                        .oauth2(ApiKeys.newKey())
                        .get("/v2/regions")
                        .statusCode())
                .as("an invalid header: the cookie is not a fallback")
                .isEqualTo(401);
        assertThat(session(signed)
                        .header("Authorization", "Basic eDp5")
                        .get("/v2/regions")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void aStreamTicketComesFromASessionButTheStreamNeverTakesTheCookieAlone() throws Exception {
        Accounts.Credentials key = Accounts.newAccount("starter", "read");
        Signed signed = signIn(key);
        assertThat(given().cookie("cn_console", signed.cookie())
                        .post("/v2/events/stream/tickets")
                        .statusCode())
                .isEqualTo(403);
        Response ticket = session(signed).post("/v2/events/stream/tickets");
        assertThat(ticket.statusCode()).as(ticket.asString()).isEqualTo(201);
        assertThat(ticket.jsonPath().getString("ticket")).matches("tkt_[0-9A-Za-z]{40}");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT api_key_id, account_id FROM stream_ticket WHERE ticket_hash = ?")) {
            ps.setString(1, ApiKeys.hash(ticket.jsonPath().getString("ticket")));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(key.keyId());
                assertThat(rs.getString(2)).isEqualTo(key.accountId());
            }
        }
        int before = upstream.count();
        assertThat(session(signed).get("/v2/events/stream").statusCode())
                .as("the stream itself: a ticket or Authorization, never the cookie")
                .isEqualTo(401);
        String upgrade = raw(
                "GET",
                "/v2/events/stream",
                "localhost:" + RestAssured.port,
                Map.of(
                        "Cookie", "cn_console=" + signed.cookie(),
                        "X-CSRF-Token", signed.csrf(),
                        "Upgrade", "websocket",
                        "Connection", "Upgrade",
                        "Sec-WebSocket-Version", "13",
                        "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
                null);
        assertThat(upgrade).startsWith("HTTP/1.1 401");
        assertThat(upstream.count()).isEqualTo(before);
    }

    @Test
    void noCookieKeyOrCsrfTokenReachesALog() throws Exception {
        EventStreamTest.LogLines logs = EventStreamTest.LogLines.capture();
        try {
            Accounts.Credentials key = Accounts.professional();
            Signed signed = signIn(key);
            session(signed).get("/v2/regions?x=1");
            given().cookie("cn_console", signed.cookie()).get("/v2/regions");
            given().cookie("cn_console", signed.cookie())
                    .header("X-CSRF-Token", "wrong")
                    .get("/v2/servers");
            given().cookie("cn_console", signed.cookie()).get("/console/session");
            session(signed).header("Origin", "https://evil.example").get("/v2/regions");
            session(signed).delete("/console/session");
            session(signed).get("/v2/regions");
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.any("\"DELETE /console/session HTTP/1.1\" 204"));
            assertThat(logs.lines()).isNotEmpty();
            assertThat(logs.lines())
                    .noneMatch(line ->
                            line.contains(signed.cookie()) || line.contains(signed.csrf()) || line.contains(key.key()));
        } finally {
            logs.close();
        }
    }

    // --- helpers ---

    static Signed signIn(Accounts.Credentials key) {
        Response answer = given().contentType(ContentType.JSON)
                .body(Map.of("api_key", key.key()))
                .post("/console/session");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        return new Signed(key, answer.cookie("cn_console"), answer.jsonPath().getString("csrf_token"), answer);
    }

    static RequestSpecification session(Signed signed) {
        return given().cookie("cn_console", signed.cookie()).header("X-CSRF-Token", signed.csrf());
    }

    /** Waits until this address may sign in again (no failed sign-ins left in its window). */
    static void awaitSignInAllowed(Accounts.Credentials key) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> given().contentType(ContentType.JSON)
                                .body(Map.of("api_key", key.key()))
                                .post("/console/session")
                                .statusCode()
                        == 200);
    }

    List<String> sessionRows(String keyId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT row_to_json(s)::text FROM console_session s WHERE api_key_id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> rows = new java.util.ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
                return rows;
            }
        }
    }

    static String setCookieLine(String raw) {
        return raw.lines()
                .filter(l -> l.regionMatches(true, 0, "Set-Cookie:", 0, 11))
                .findFirst()
                .orElseThrow()
                .trim();
    }

    /** One HTTP/1.1 request written byte for byte (any Host, any path), the whole answer as text. */
    static String raw(String method, String path, String host, Map<String, String> headers, String body)
            throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
            headers.forEach((name, value) ->
                    request.append(name).append(": ").append(value).append("\r\n"));
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                request.append("Content-Length: ").append(bytes.length).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                // an answer that keeps the connection open: what arrived is enough
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
