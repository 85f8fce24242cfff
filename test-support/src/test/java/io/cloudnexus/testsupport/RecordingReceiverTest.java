package io.cloudnexus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class RecordingReceiverTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> post(RecordingReceiver r, byte[] body, Duration timeout) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(r.url("/hook")))
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .header("X-CloudNexus-Signature", "abc")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void recordsRawBodiesAndHeadersAndFollowsTheScript() throws Exception {
        try (RecordingReceiver r = RecordingReceiver.start()) {
            r.script(Reply.status(500), Reply.status(429).withHeader("Retry-After", "7"));
            byte[] body = "{\"event\":\"x\",\"data\":{\"name\":\"café ☁\"}}".getBytes(StandardCharsets.UTF_8);

            assertThat(post(r, body, Duration.ofSeconds(5)).statusCode()).isEqualTo(500);
            HttpResponse<String> second = post(r, body, Duration.ofSeconds(5));
            assertThat(second.statusCode()).isEqualTo(429);
            assertThat(second.headers().firstValue("Retry-After")).contains("7");
            assertThat(post(r, body, Duration.ofSeconds(5)).statusCode()).isEqualTo(200);

            assertThat(r.awaitCount(3, Duration.ofSeconds(1))).hasSize(3);
            ReceivedRequest first = r.received().get(0);
            assertThat(first.body()).isEqualTo(body);
            assertThat(first.header("x-cloudnexus-signature")).isEqualTo("abc");
            assertThat(first.header("Content-Type")).isEqualTo("application/json");
            assertThat(first.path()).isEqualTo("/hook");
            assertThat(first.method()).isEqualTo("POST");
        }
    }

    @Test
    void delaysAndHangs() throws Exception {
        try (RecordingReceiver r = RecordingReceiver.start()) {
            r.script(Reply.status(202).after(Duration.ofMillis(300)), Reply.hang());
            long start = System.nanoTime();
            assertThat(post(r, new byte[0], Duration.ofSeconds(5)).statusCode()).isEqualTo(202);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

            assertThatThrownBy(() -> post(r, new byte[0], Duration.ofMillis(500)))
                    .isInstanceOf(HttpTimeoutException.class);
            assertThat(r.count()).isEqualTo(2);
        }
    }

    @Test
    void awaitFailsWhenNothingArrives() {
        try (RecordingReceiver r = RecordingReceiver.start()) {
            assertThatThrownBy(() -> r.awaitCount(1, Duration.ofMillis(100))).isInstanceOf(AssertionError.class);
        }
    }
}
