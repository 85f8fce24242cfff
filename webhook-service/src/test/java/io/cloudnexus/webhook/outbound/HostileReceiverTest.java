package io.cloudnexus.webhook.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudnexus.webhook.outbound.SenderFixture.Timed;

/**
 * The sender stays bounded against receivers that misbehave on purpose (raw socket receivers): it records
 * the status and closes the connection instead of downloading a huge or dripped body, gives up on a
 * response head or TLS handshake that never completes at the attempt's deadline, refuses an oversized head,
 * never follows a redirect, and still takes a late 2xx as a success.
 */
class HostileReceiverTest {

    private static final long DEADLINE_MS = 1_500;
    /** Scheduling slack on a busy 2-core machine. */
    private static final long SLACK_MS = 1_000;

    private final SenderFixture fixture = new SenderFixture(
            "cloudnexus.webhooks.outbound.timeout",
            DEADLINE_MS + "ms",
            "cloudnexus.webhooks.outbound.response-excerpt-bytes",
            "1024");

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Writes {@code chunk} until the client goes away; counts bytes; true in {@code cut} once a write failed. */
    private static void flood(OutputStream out, byte[] chunk, AtomicLong written, AtomicBoolean cut) {
        try {
            for (long total = 0; total < (1L << 30); total += chunk.length) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
        } catch (IOException e) {
            cut.set(true);
        }
    }

    @Test
    void aOneGigabyteBodyIsCutOffOnceTheExcerptIsFull() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicBoolean cut = new AtomicBoolean();
        byte[] chunk = "x".repeat(64 * 1024).getBytes();
        try (RawReceiver receiver = RawReceiver.start((socket, in, out) -> {
            RawReceiver.readRequest(in);
            RawReceiver.write(
                    out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + (1L << 30) + "\r\n\r\n");
            flood(out, chunk, written, cut);
        })) {
            Timed t = fixture.attempt(receiver.url("/big"));
            assertThat(t.result().statusCode()).isEqualTo(200);
            assertThat(t.result().errorClass()).isNull();
            assertThat(t.result().excerpt()).hasSize(1024).matches("x+");
            assertThat(t.wallMillis())
                    .as("recorded once the excerpt was full, not at the deadline")
                    .isLessThan(DEADLINE_MS);
            await().atMost(Duration.ofSeconds(10)).untilTrue(cut);
            assertThat(written.get())
                    .as("the connection was closed instead of downloading 1 GB")
                    .isLessThan(256L << 20);
        }
    }

    @Test
    void anEndlessChunkedBodyIsCutOffToo() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicBoolean cut = new AtomicBoolean();
        String block = "y".repeat(8192);
        byte[] chunk = (Integer.toHexString(block.length()) + "\r\n" + block + "\r\n").getBytes();
        try (RawReceiver receiver = RawReceiver.start((socket, in, out) -> {
            RawReceiver.readRequest(in);
            RawReceiver.write(
                    out, "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nTransfer-Encoding: chunked\r\n\r\n");
            flood(out, chunk, written, cut);
        })) {
            Timed t = fixture.attempt(receiver.url("/chunked"));
            assertThat(t.result().statusCode()).isEqualTo(503);
            assertThat(t.result().retryAfter()).isEqualTo("7");
            assertThat(t.result().excerpt()).hasSize(1024);
            assertThat(t.wallMillis()).isLessThan(DEADLINE_MS);
            await().atMost(Duration.ofSeconds(10)).untilTrue(cut);
        }
    }

    @Test
    void aDrippedBodyEndsAtTheDeadlineWithItsStatus() throws Exception {
        AtomicBoolean cut = new AtomicBoolean();
        try (RawReceiver receiver = RawReceiver.start((socket, in, out) -> {
            RawReceiver.readRequest(in);
            RawReceiver.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            try {
                for (int i = 0; i < 1000; i++) {
                    RawReceiver.write(out, "d");
                    Thread.sleep(100); // the drip: one byte every 100 ms
                }
            } catch (IOException e) {
                cut.set(true);
            }
        })) {
            Timed t = fixture.attempt(receiver.url("/drip"));
            assertThat(t.result().statusCode())
                    .as("the status decides the outcome")
                    .isEqualTo(200);
            assertThat(t.result().success()).isTrue();
            assertThat(t.result().excerpt()).startsWith("d").matches("d+");
            assertThat(t.wallMillis()).isBetween(DEADLINE_MS - 100, DEADLINE_MS + SLACK_MS);
            await().atMost(Duration.ofSeconds(5)).untilTrue(cut);
        }
    }

    @Test
    void headersThatNeverEndTimeOutAtTheDeadline() throws Exception {
        try (RawReceiver receiver = RawReceiver.start((socket, in, out) -> {
            RawReceiver.readRequest(in);
            RawReceiver.write(out, "HTTP/1.1 200 OK\r\n");
            for (int i = 0; i < 10_000; i++) {
                RawReceiver.write(out, "X-Slow-" + i + ": still coming\r\n");
                Thread.sleep(50);
            }
        })) {
            Timed t = fixture.attempt(receiver.url("/slow-head"));
            assertThat(t.result().errorClass()).isEqualTo("timeout");
            assertThat(t.result().statusCode()).isZero();
            assertThat(t.wallMillis()).isBetween(DEADLINE_MS - 100, DEADLINE_MS + SLACK_MS);
        }
    }

    @Test
    void anOversizedHeaderBlockOrStatusLineIsAConnectionErrorAtOnce() throws Exception {
        try (RawReceiver headers = RawReceiver.start((socket, in, out) -> {
                    RawReceiver.readRequest(in);
                    RawReceiver.write(
                            out, "HTTP/1.1 200 OK\r\n" + ("X-Big: " + "h".repeat(1000) + "\r\n").repeat(100) + "\r\n");
                });
                RawReceiver statusLine = RawReceiver.start((socket, in, out) -> {
                    RawReceiver.readRequest(in);
                    RawReceiver.write(out, "HTTP/1.1 200 " + "O".repeat(10_000) + "\r\nContent-Length: 0\r\n\r\n");
                })) {
            for (RawReceiver receiver : new RawReceiver[] {headers, statusLine}) {
                Timed t = fixture.attempt(receiver.url("/big-head"));
                assertThat(t.result().errorClass()).isEqualTo("connection_error");
                assertThat(t.result().excerpt()).isNotBlank().hasSizeLessThan(2_000);
                assertThat(t.wallMillis()).isLessThan(DEADLINE_MS);
            }
        }
    }

    @Test
    void aTlsHandshakeThatStallsTimesOutAtTheDeadline() throws Exception {
        AtomicBoolean closedByClient = new AtomicBoolean();
        try (RawReceiver receiver = RawReceiver.start((socket, in, out) -> {
            // accepts TCP, reads the ClientHello, never answers
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // swallow
            }
            closedByClient.set(true);
        })) {
            Timed t = fixture.attempt(receiver.url("https", "127.0.0.1", "/tls"));
            assertThat(t.result().errorClass()).isEqualTo("timeout");
            assertThat(t.wallMillis()).isBetween(DEADLINE_MS - 100, DEADLINE_MS + SLACK_MS);
            await().atMost(Duration.ofSeconds(5)).untilTrue(closedByClient);
        }
    }

    @Test
    void aRedirectIsAFailedAttemptAndNeverFollowed() throws Exception {
        try (RawReceiver target = RawReceiver.start((socket, in, out) -> {
            RawReceiver.readRequest(in);
            RawReceiver.write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        })) {
            int[] port = new int[1];
            try (RawReceiver loop = RawReceiver.start((socket, in, out) -> {
                        for (int i = 0; i < 100; i++) { // a redirect loop on a keep-alive connection
                            RawReceiver.readRequest(in);
                            RawReceiver.write(
                                    out,
                                    "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:" + port[0]
                                            + "/again\r\nContent-Length: 0\r\n\r\n");
                        }
                    });
                    RawReceiver elsewhere = RawReceiver.start((socket, in, out) -> {
                        RawReceiver.readRequest(in);
                        RawReceiver.write(
                                out,
                                "HTTP/1.1 301 Moved\r\nConnection: close\r\nLocation: " + target.url("/moved")
                                        + "\r\nContent-Length: 0\r\n\r\n");
                    })) {
                port[0] = loop.port();
                Timed first = fixture.attempt(loop.url("/start"));
                assertThat(first.result().statusCode()).isEqualTo(302);
                assertThat(first.result().success()).isFalse();
                Timed second = fixture.attempt(elsewhere.url("/start"));
                assertThat(second.result().statusCode()).isEqualTo(301);
                assertThat(second.result().success()).isFalse();
                assertThat(target.connections())
                        .as("the Location is never followed")
                        .isZero();
                assertThat(loop.connections()).isEqualTo(1);
            }
        }
    }

    @Test
    void aSuccessJustBeforeTheDeadlineIsASuccess() throws Exception {
        long late = DEADLINE_MS * 2 / 3;
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        try (RawReceiver receiver = RawReceiver.start((socket, in, out) -> {
            RawReceiver.readRequest(in);
            if (requests.incrementAndGet() > 1) {
                Thread.sleep(late); // the receiver takes most of the deadline
            }
            RawReceiver.write(out, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        })) {
            // warm up the client first (class loading on a busy machine is not what is measured here)
            Timed warm = fixture.attempt(receiver.url("/warm-up"));
            assertThat(warm.result().statusCode())
                    .as(String.valueOf(warm.result()))
                    .isEqualTo(204);
            Timed t = fixture.attempt(receiver.url("/late"));
            assertThat(t.result().statusCode()).as(String.valueOf(t.result())).isEqualTo(204);
            assertThat(t.result().success()).isTrue();
            assertThat(t.result().latencyMs()).isBetween(late, DEADLINE_MS);
        }
    }
}
