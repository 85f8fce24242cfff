package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Idempotency-Key on POST: replay, mismatch (422), in flight (409), failures not stored. */
@QuarkusTest
@GatewayTest
class IdempotencyTest {

    RecordingReceiver upstream = UpstreamReceiverResource.receiver();
    Accounts.Credentials caller;

    @BeforeEach
    void setUp() {
        upstream.reset();
        caller = Accounts.professional();
    }

    private Response post(Accounts.Credentials who, String key, String body) {
        return given().auth()
                .oauth2(who.key())
                .header("X-CloudNexus-Id", who.accountId())
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body(body)
                .post("/v2/servers");
    }

    @Test
    void aRetryReplaysTheFirstResponseWithoutReachingTheService() {
        String key = UUID.randomUUID().toString();
        upstream.script(Reply.status(201)
                .withHeader("Content-Type", "application/json")
                .withHeader("Location", "/servers/srv_abc")
                .withBody("{\"id\":\"srv_abc\"}"));
        Response first = post(caller, key, "{\"count\":2}");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();

        Response retry = post(caller, key, "{\"count\":2}");
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.asString()).isEqualTo("{\"id\":\"srv_abc\"}");
        assertThat(retry.header("Location")).isEqualTo("/servers/srv_abc");
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.header("X-RateLimit-Remaining")).isNotNull();
        assertThat(upstream.count()).isEqualTo(1);

        Accounts.Credentials otherAccount = Accounts.professional();
        assertThat(post(otherAccount, key, "{\"count\":2}").header("Idempotent-Replayed"))
                .isNull();
        assertThat(upstream.count()).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        String key = UUID.randomUUID().toString();
        assertThat(post(caller, key, "{\"count\":2}").statusCode()).isEqualTo(200);
        StatusCodesTest.assertProblem(post(caller, key, "{\"count\":3}"), 422);
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void theSameKeyWhileTheFirstRunsIs409() {
        String key = UUID.randomUUID().toString();
        upstream.script(Reply.status(201)
                .withBody("{\"id\":\"srv_slow\"}")
                .withHeader("Content-Type", "application/json")
                .after(Duration.ofMillis(800)));
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> post(caller, key, "{\"count\":1}"));
        upstream.awaitCount(1, Duration.ofSeconds(5));
        StatusCodesTest.assertProblem(post(caller, key, "{\"count\":1}"), 409);
        assertThat(first.join().statusCode()).isEqualTo(201);
        Response replay = post(caller, key, "{\"count\":1}");
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void aServiceFailureIsNotStoredSoTheRetryRuns() {
        String key = UUID.randomUUID().toString();
        upstream.script(
                Reply.status(503), Reply.status(201).withBody("{}").withHeader("Content-Type", "application/json"));
        assertThat(post(caller, key, "{\"count\":1}").statusCode()).isEqualTo(503);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Response retry = post(caller, key, "{\"count\":1}");
            assertThat(retry.statusCode()).isEqualTo(201);
            assertThat(retry.header("Idempotent-Replayed")).isNull();
        });
        assertThat(upstream.count()).isEqualTo(2);
    }

    @Test
    void aServiceErrorOtherThan503IsStoredAndReplayedNotRunAgain() {
        String key = UUID.randomUUID().toString();
        upstream.script(
                Reply.status(500).withHeader("Content-Type", "text/plain").withBody("boom"));
        Response first = post(caller, key, "{\"count\":1}");
        StatusCodesTest.assertProblem(first, 500);
        Response retry = post(caller, key, "{\"count\":1}");
        assertThat(retry.statusCode()).isEqualTo(500);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.contentType()).startsWith("application/problem+json");
        assertThat(retry.asString()).doesNotContain("boom");
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void anAnswerAfterTheGatewaysTimeoutIsStoredAndTheRetryNeverReachesTheServiceAgain() {
        String key = UUID.randomUUID().toString();
        // the gateway gives up after upstream.timeout (3 s: 504) but waits for the answer for
        // idempotency.outcome-wait (3 s more): the answer comes half-way through that wait
        upstream.script(Reply.status(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"srv_late\"}")
                .after(Duration.ofMillis(UpstreamReceiverResource.UPSTREAM_TIMEOUT_SECONDS * 1000L + 1500)));
        StatusCodesTest.assertProblem(post(caller, key, "{\"count\":1}"), 504);

        Response unknown = post(caller, key, "{\"count\":1}");
        StatusCodesTest.assertProblem(unknown, 409);
        assertThat(unknown.jsonPath().getString("type")).endsWith("/idempotency-outcome-unknown");
        assertThat(unknown.jsonPath().getString("detail")).contains("may have taken effect");
        assertThat(Long.parseLong(unknown.header("Retry-After"))).isPositive();

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    Response replay = post(caller, key, "{\"count\":1}");
                    assertThat(replay.statusCode()).isEqualTo(201);
                    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
                    assertThat(replay.asString()).isEqualTo("{\"id\":\"srv_late\"}");
                });
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void aServiceThatNeverAnswersKeepsTheKeyBlocked() {
        String key = UUID.randomUUID().toString();
        upstream.script(Reply.hang());
        StatusCodesTest.assertProblem(post(caller, key, "{\"count\":1}"), 504);
        // past the outcome wait (3 s after the 504) the gateway stopped waiting; the key still never runs twice
        org.awaitility.Awaitility.await()
                .during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(9))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> post(caller, key, "{\"count\":1}").statusCode() == 409);
        Response blocked = post(caller, key, "{\"count\":1}");
        assertThat(blocked.jsonPath().getString("type")).endsWith("/idempotency-outcome-unknown");
        assertThat(blocked.header("Retry-After")).isNotBlank();
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void aClientThatGoesAwayDoesNotFreeTheKey() throws Exception {
        String key = UUID.randomUUID().toString();
        upstream.script(Reply.status(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"srv_gone\"}")
                .after(Duration.ofMillis(700)));
        byte[] body = "{\"count\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            String head = "POST /v2/servers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + caller.key()
                    + "\r\nIdempotency-Key: " + key + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            upstream.awaitCount(1, Duration.ofSeconds(5));
        } // the client leaves before the service answered
        Response retry = post(caller, key, "{\"count\":1}");
        assertThat(retry.statusCode()).as(retry.asString()).isIn(409, 201);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    Response replay = post(caller, key, "{\"count\":1}");
                    assertThat(replay.statusCode()).isEqualTo(201);
                    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
                });
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void refusalsBeforeTheServiceDoNotConsumeTheKey() {
        String key = UUID.randomUUID().toString();
        Accounts.Credentials readOnly = Accounts.key(caller.accountId(), "read");
        StatusCodesTest.assertProblem(post(readOnly, key, "{\"count\":1}"), 403);
        assertThat(post(caller, key, "{\"count\":1}").statusCode()).isEqualTo(200);
        StatusCodesTest.assertProblem(
                given().auth()
                        .oauth2(caller.key())
                        .header("X-CloudNexus-Id", caller.accountId())
                        .header("Idempotency-Key", "")
                        .contentType("application/json")
                        .body("{}")
                        .post("/v2/servers"),
                400);
    }
}
