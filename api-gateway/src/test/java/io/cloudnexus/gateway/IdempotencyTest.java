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
        return given().auth().oauth2(who.key()).header("X-CloudNexus-Id", who.accountId())
                .header("Idempotency-Key", key).contentType("application/json").body(body).post("/v2/servers");
    }

    @Test
    void aRetryReplaysTheFirstResponseWithoutReachingTheService() {
        String key = UUID.randomUUID().toString();
        upstream.script(Reply.status(201).withHeader("Content-Type", "application/json")
                .withHeader("Location", "/servers/srv_abc").withBody("{\"id\":\"srv_abc\"}"));
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
        assertThat(post(otherAccount, key, "{\"count\":2}").header("Idempotent-Replayed")).isNull();
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
        upstream.script(Reply.status(201).withBody("{\"id\":\"srv_slow\"}").withHeader("Content-Type",
                "application/json").after(Duration.ofMillis(800)));
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
        upstream.script(Reply.status(503), Reply.status(201).withBody("{}").withHeader("Content-Type",
                "application/json"));
        assertThat(post(caller, key, "{\"count\":1}").statusCode()).isEqualTo(503);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Response retry = post(caller, key, "{\"count\":1}");
            assertThat(retry.statusCode()).isEqualTo(201);
            assertThat(retry.header("Idempotent-Replayed")).isNull();
        });
        assertThat(upstream.count()).isEqualTo(2);
    }

    @Test
    void refusalsBeforeTheServiceDoNotConsumeTheKey() {
        String key = UUID.randomUUID().toString();
        Accounts.Credentials readOnly = Accounts.key(caller.accountId(), "read");
        StatusCodesTest.assertProblem(post(readOnly, key, "{\"count\":1}"), 403);
        assertThat(post(caller, key, "{\"count\":1}").statusCode()).isEqualTo(200);
        StatusCodesTest.assertProblem(given().auth().oauth2(caller.key()).header("X-CloudNexus-Id", caller.accountId())
                .header("Idempotency-Key", "").contentType("application/json").body("{}").post("/v2/servers"), 400);
    }
}
