package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** What the gateway forwards to a service, and what it hands back. */
@QuarkusTest
@GatewayTest
class ProxyForwardingTest {

    /** The public docs' example body, byte for byte (pretty-printed as in the curl example). */
    static final String DOCS_BODY = "{\n    \"region\": \"us-east-1\",\n    \"plan\": \"professional\",\n"
            + "    \"image\": \"ubuntu-22.04\",\n    \"count\": 2\n  }";

    RecordingReceiver upstream = UpstreamReceiverResource.receiver();

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    @Test
    void forwardsTheDocsExampleWithAnIdentityTokenInsteadOfTheApiKey() throws Exception {
        Accounts.Credentials caller = Accounts.professional();
        upstream.script(Reply.status(202)
                .withHeader("Content-Type", "application/json")
                .withHeader("Location", "/servers/srv_1")
                .withBody("{\"data\":[{\"id\":\"srv_1\"},{\"id\":\"srv_2\"}]}"));

        Response response = given().header("Authorization", "Bearer " + caller.key())
                .header("Content-Type", "application/json")
                .header("X-CloudNexus-Id", caller.accountId())
                .header("X-Request-Id", "req-docs-example")
                .body(DOCS_BODY.getBytes(StandardCharsets.UTF_8))
                .post("/v2/servers?dry_run=false");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.jsonPath().getList("data.id")).containsExactly("srv_1", "srv_2");
        assertThat(response.header("Location")).isEqualTo("/servers/srv_1");
        assertThat(response.header("X-Request-Id")).isEqualTo("req-docs-example");
        assertThat(response.header("X-RateLimit-Limit")).isEqualTo("500");
        assertThat(response.header("X-RateLimit-Remaining")).isEqualTo("499");

        ReceivedRequest forwarded =
                upstream.awaitCount(1, Duration.ofSeconds(5)).get(0);
        assertThat(forwarded.method()).isEqualTo("POST");
        assertThat(forwarded.path()).isEqualTo("/servers");
        assertThat(forwarded.body()).isEqualTo(DOCS_BODY.getBytes(StandardCharsets.UTF_8));
        assertThat(forwarded.header("Content-Type")).isEqualTo("application/json");
        assertThat(forwarded.header("X-Request-Id")).isEqualTo("req-docs-example");
        assertThat(forwarded.header("X-CloudNexus-Id")).isEqualTo(caller.accountId());
        assertThat(forwarded.headers().values())
                .noneMatch(
                        values -> values.stream().anyMatch(v -> v.contains(caller.key()) || v.contains("cn_live_sk_")));

        JwtClaims claims = IdentityTokenVerifier.verify(forwarded.header("Authorization"));
        assertThat(claims.getSubject()).isEqualTo(caller.accountId());
        assertThat(claims.getStringClaimValue("tier")).isEqualTo("professional");
        assertThat(claims.getStringListClaimValue("groups")).containsExactlyInAnyOrder("read", "write");
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue())
                .isEqualTo(60);
    }

    @Test
    void onlyAllowListedClientHeadersReachTheService() {
        Accounts.Credentials caller = Accounts.professional();
        Response response = given().auth()
                .oauth2(caller.key())
                .header("X-CloudNexus-Id", caller.accountId())
                .header("X-Internal-Admin", "true")
                .header("Cookie", "session=stolen")
                .header("X-Forwarded-For", "10.0.0.1")
                .header("X-Forwarded-Host", "internal")
                .header("Forwarded", "for=10.0.0.1")
                .header("X-Real-IP", "10.0.0.1")
                .header("Proxy-Authorization", "Basic eA==")
                .header("TE", "trailers")
                .header("Accept", "application/json")
                .header("Accept-Language", "de")
                .header("User-Agent", "cloudnexus-test/1")
                .header("If-None-Match", "\"v1\"")
                .header("If-Match", "\"v2\"")
                .header("Last-Event-ID", "evt_1")
                .get("/v2/servers/srv_1");
        assertThat(response.statusCode()).isEqualTo(200);
        ReceivedRequest forwarded =
                upstream.awaitCount(1, Duration.ofSeconds(5)).get(0);
        for (String refused : List.of(
                "x-internal-admin",
                "cookie",
                "x-forwarded-for",
                "x-forwarded-host",
                "forwarded",
                "x-real-ip",
                "proxy-authorization",
                "te")) {
            assertThat(forwarded.headers()).as(refused).doesNotContainKey(refused);
        }
        assertThat(forwarded.header("Accept")).isEqualTo("application/json");
        assertThat(forwarded.header("Accept-Language")).isEqualTo("de");
        assertThat(forwarded.header("User-Agent")).isEqualTo("cloudnexus-test/1");
        assertThat(forwarded.header("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(forwarded.header("If-Match")).isEqualTo("\"v2\"");
        assertThat(forwarded.header("Last-Event-ID")).isEqualTo("evt_1");
        assertThat(forwarded.header("X-CloudNexus-Id")).isEqualTo(caller.accountId());
        assertThat(forwarded.header("Authorization")).startsWith("Bearer ey");
    }

    @Test
    void generatesARequestIdWhenTheCallerSendsNone() {
        Accounts.Credentials caller = Accounts.professional();
        Response response = given().auth()
                .oauth2(caller.key())
                .header("X-CloudNexus-Id", caller.accountId())
                .get("/v2/regions");
        assertThat(response.statusCode()).isEqualTo(200);
        String requestId = response.header("X-Request-Id");
        assertThat(requestId).startsWith("req_");
        assertThat(upstream.awaitCount(1, Duration.ofSeconds(5)).get(0).header("X-Request-Id"))
                .isEqualTo(requestId);
    }

    @ParameterizedTest
    @CsvSource({
        "GET, /v2/servers, /servers",
        "GET, /v2/servers/srv_1?expand=ip, /servers/srv_1",
        "PUT, /v2/servers/srv_1, /servers/srv_1",
        "DELETE, /v2/servers/srv_1, /servers/srv_1",
        "GET, /v2/regions, /regions",
        "GET, /v2/plans, /plans",
        "GET, /v2/images, /images",
        "GET, /v2/clusters/k8s, /clusters/k8s",
        "POST, /v2/clusters/k8s/cls_1/deployments, /clusters/k8s/cls_1/deployments",
        "GET, /v2/webhooks, /webhooks",
        "GET, /v2/events/types, /events/types"
    })
    void mapsPublicPathsToServicePaths(String method, String publicPath, String servicePath) {
        Accounts.Credentials caller = Accounts.professional();
        var request = given().auth().oauth2(caller.key()).header("X-CloudNexus-Id", caller.accountId());
        if (!method.equals("GET") && !method.equals("DELETE")) {
            request = request.contentType("application/json").body("{}");
        }
        assertThat(request.request(method, publicPath).statusCode()).isEqualTo(200);
        List<ReceivedRequest> got = upstream.awaitCount(1, Duration.ofSeconds(5));
        assertThat(got.get(0).method()).isEqualTo(method);
        assertThat(got.get(0).path()).isEqualTo(servicePath);
    }

    @Test
    void unknownRoutesAre404ProblemsAndAreNotForwarded() {
        Accounts.Credentials caller = Accounts.professional();
        for (String path : List.of("/v2/nothing", "/v2/clusters/other", "/v2/servers/../billing", "/elsewhere")) {
            Response response = given().auth()
                    .oauth2(caller.key())
                    .header("X-CloudNexus-Id", caller.accountId())
                    .urlEncodingEnabled(false)
                    .get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.jsonPath().getString("request_id")).isNotBlank();
        }
        assertThat(upstream.count()).isZero();
    }

    @Test
    void passesServiceProblemDetailsThrough() {
        Accounts.Credentials caller = Accounts.professional();
        upstream.script(Reply.status(409)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\":409,\"title\":\"Conflict\"}"));
        Response response = given().auth()
                .oauth2(caller.key())
                .header("X-CloudNexus-Id", caller.accountId())
                .contentType("application/json")
                .body("{\"count\":1}")
                .put("/v2/servers/srv_9");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("title")).isEqualTo("Conflict");
        assertThat(response.header("X-RateLimit-Remaining")).isNotNull();
    }
}
