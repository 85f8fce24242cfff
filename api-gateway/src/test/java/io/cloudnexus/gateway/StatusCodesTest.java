package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every status of the public table (200, 400, 401, 403, 429 is in RateLimitTest, 500-class) and 404,
 * 413, 415, 502-504: each an RFC 9457 problem with the request id, never a stack trace.
 */
@QuarkusTest
@GatewayTest
class StatusCodesTest {

    RecordingReceiver upstream = UpstreamReceiverResource.receiver();
    Accounts.Credentials caller;

    @BeforeEach
    void setUp() {
        upstream.reset();
        caller = Accounts.professional();
    }

    private RequestSpecification as(Accounts.Credentials credentials) {
        return given().auth()
                .oauth2(credentials.key())
                .header("X-CloudNexus-Id", credentials.accountId())
                .header("X-Request-Id", "req-status-test");
    }

    static void assertProblem(Response response, int status) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(status);
        assertThat(response.jsonPath().getString("type")).startsWith("https://docs.cloudnexus.io/problems/");
        assertThat(response.jsonPath().getString("title")).isNotBlank();
        assertThat(response.jsonPath().getString("request_id")).isNotBlank();
        assertThat(response.header("X-Request-Id"))
                .isEqualTo(response.jsonPath().getString("request_id"));
        assertThat(response.asString()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void ok200() {
        upstream.script(
                Reply.ok().withHeader("Content-Type", "application/json").withBody("{\"data\":[]}"));
        Response response = as(caller).get("/v2/servers");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asString()).isEqualTo("{\"data\":[]}");
    }

    @Test
    void missingAccountHeaderWithAnOidcTokenIs400() {
        Response response = given().auth()
                .oauth2(OidcTest.accessToken(caller.accountId(), "read", java.util.Set.of()))
                .get("/v2/servers");
        assertProblem(response, 400);
        assertThat(response.jsonPath().getString("detail")).contains("X-CloudNexus-Id");
        assertThat(response.header("X-RateLimit-Limit")).isEqualTo("500");
        assertThat(upstream.count()).isZero();
    }

    @Test
    void anApiKeyWithoutAccountHeaderActsForItsOwnAccount() throws Exception {
        Response response = given().auth()
                .oauth2(caller.key())
                .contentType("application/json")
                .body(ProxyForwardingTest.DOCS_BODY)
                .post("/v2/servers");
        assertThat(response.statusCode()).isEqualTo(200);
        var forwarded = upstream.awaitCount(1, Duration.ofSeconds(5)).get(0);
        assertThat(IdentityTokenVerifier.verify(forwarded.header("Authorization"))
                        .getSubject())
                .isEqualTo(caller.accountId());
    }

    @Test
    void invalidRequestHeadersAre400() {
        assertProblem(
                as(caller)
                        .header("Idempotency-Key", "has spaces in it")
                        .contentType("application/json")
                        .body("{}")
                        .post("/v2/servers"),
                400);
    }

    @Test
    void missingMalformedOrUnknownCredentialsAre401() {
        assertProblem(given().header("X-CloudNexus-Id", caller.accountId()).get("/v2/servers"), 401);
        assertProblem(
                given().header("Authorization", "Basic Zm9vOmJhcg==")
                        .header("X-CloudNexus-Id", caller.accountId())
                        .get("/v2/servers"),
                401);
        assertProblem(
                given().auth()
                        .oauth2("cn_live_sk_doesnotexist0000000000000000000000000000")
                        .header("X-CloudNexus-Id", caller.accountId())
                        .get("/v2/servers"),
                401);
        assertProblem(
                given().auth()
                        .oauth2("not-a-jwt")
                        .header("X-CloudNexus-Id", caller.accountId())
                        .get("/v2/servers"),
                401);
        assertThat(upstream.count()).isZero();
    }

    @Test
    void anotherAccountsIdIs403() {
        Accounts.Credentials other = Accounts.professional();
        Response response = given().auth()
                .oauth2(caller.key())
                .header("X-CloudNexus-Id", other.accountId())
                .get("/v2/servers");
        assertProblem(response, 403);
        assertThat(upstream.count()).isZero();
    }

    @Test
    void readOnlyKeyMayReadButNotWrite() {
        Accounts.Credentials readOnly = Accounts.key(caller.accountId(), "read");
        assertThat(as(readOnly).get("/v2/servers").statusCode()).isEqualTo(200);
        Response write = as(readOnly).contentType("application/json").body("{}").post("/v2/servers");
        assertProblem(write, 403);
        assertThat(write.jsonPath().getString("detail")).contains("write");
        assertProblem(as(readOnly).delete("/v2/servers/srv_1"), 403);
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void nonJsonBodyIs415() {
        assertProblem(
                as(caller).contentType("text/plain").body("region=us-east-1").post("/v2/servers"), 415);
        assertProblem(as(caller).contentType("application/xml").body("<a/>").put("/v2/servers/srv_1"), 415);
        assertThat(as(caller)
                        .contentType("application/json; charset=utf-8")
                        .body("{}")
                        .post("/v2/servers")
                        .statusCode())
                .isEqualTo(200);
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void bodyOverOneMebibyteIs413() {
        byte[] big = new byte[1024 * 1024 + 1];
        Arrays.fill(big, (byte) ' ');
        assertProblem(as(caller).contentType("application/json").body(big).post("/v2/servers"), 413);
        byte[] exact = new byte[1024 * 1024];
        Arrays.fill(exact, (byte) ' ');
        exact[0] = '{';
        exact[exact.length - 1] = '}';
        assertThat(as(caller)
                        .contentType("application/json")
                        .body(exact)
                        .post("/v2/servers")
                        .statusCode())
                .isEqualTo(200);
        assertThat(upstream.awaitCount(1, Duration.ofSeconds(5)).get(0).body()).hasSize(1024 * 1024);
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void bodiesWithoutContentLengthAreLimitedToo(HttpClient.Version version) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(version).build();
        Function<byte[], HttpRequest> streamed = bytes -> HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v2/servers"))
                .header("Authorization", "Bearer " + caller.key())
                .header("X-CloudNexus-Id", caller.accountId())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        byte[] small = "{\"region\":\"us-east-1\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(http.send(streamed.apply(small), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        assertThat(upstream.awaitCount(1, Duration.ofSeconds(5)).get(0).body()).isEqualTo(small);

        byte[] big = new byte[2 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        HttpResponse<String> refused = http.send(streamed.apply(big), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void unavailableServiceIs503WithRetryAfter() {
        upstream.script(Reply.status(503).withBody("upstream overloaded"));
        Response response = as(caller).get("/v2/servers");
        assertProblem(response, 503);
        assertThat(response.header("Retry-After")).isEqualTo("5");
        assertThat(response.asString()).doesNotContain("overloaded");

        upstream.script(Reply.status(503).withHeader("Retry-After", "17"));
        assertThat(as(caller).get("/v2/servers").header("Retry-After")).isEqualTo("17");
    }

    /**
     * The service goes away (stopped, killed) while a request is on its connection: a GET may be repeated safely, so
     * the service is unavailable (503); a POST may have taken effect (502), but both say when to retry.
     */
    @Test
    void aServiceGoneMidRequestIs503ForAGetAnd502WithRetryAfterForAPost() throws Exception {
        RecordingReceiver billing = UpstreamReceiverResource.billing();
        for (String method : java.util.List.of("GET", "POST")) {
            billing.reset();
            billing.defaultReply(Reply.ok().after(Duration.ofSeconds(10)));
            java.util.concurrent.CompletableFuture<Response> pending =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> "GET".equals(method)
                            ? as(caller).get("/v2/billing/invoices")
                            : as(caller)
                                    .contentType("application/json")
                                    .body("{}")
                                    .post("/v2/billing/invoices/finalize"));
            billing.awaitCount(1, Duration.ofSeconds(10)); // the request reached the service
            UpstreamReceiverResource.billingProxy().cut();
            try {
                Response response = pending.get(20, java.util.concurrent.TimeUnit.SECONDS);
                assertProblem(response, "GET".equals(method) ? 503 : 502);
                assertThat(response.header("Retry-After")).as(method).isNotBlank();
            } finally {
                UpstreamReceiverResource.billingProxy().restore();
            }
        }
        billing.reset();
        billing.defaultReply(Reply.ok());
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> as(caller).get("/v2/billing/invoices").statusCode() == 200);
    }

    @Test
    void unreachableServiceIs503() {
        UpstreamReceiverResource.billingProxy().cut();
        try {
            Response response = as(caller).get("/v2/billing/invoices");
            assertProblem(response, 503);
            assertThat(response.header("Retry-After")).isNotBlank();
        } finally {
            UpstreamReceiverResource.billingProxy().restore();
        }
        UpstreamReceiverResource.billing().reset();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> as(caller).get("/v2/billing/invoices").statusCode() == 200);
    }

    @Test
    void slowServiceIs504() {
        upstream.script(Reply.ok().after(Duration.ofSeconds(UpstreamReceiverResource.UPSTREAM_TIMEOUT_SECONDS + 3)));
        Response response = as(caller).get("/v2/servers");
        assertProblem(response, 504);
    }

    @Test
    void serviceFailureWithoutProblemDetailsIsAProblemWithoutItsBody() {
        upstream.script(Reply.status(500)
                .withHeader("Content-Type", "text/plain")
                .withBody("java.lang.NullPointerException\n\tat com.example.Secret.method(Secret.java:1)"));
        Response response = as(caller).get("/v2/servers");
        assertProblem(response, 500);
        assertThat(response.asString()).doesNotContain("Secret");
        assertThat(response.jsonPath().getString("request_id")).isEqualTo("req-status-test");
    }
}
