package io.cloudnexus.webhook.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.webhook.delivery.AttemptResult;

/**
 * {@code outbound.max-connections-per-host} really sizes the pool of one destination. The Vert.x client builder
 * takes the pool size from its PoolOptions only, so the setting on HttpClientOptions was ignored and every
 * destination had 5 connections: a lane allowed 8 (now up to 64) requests in flight, the rest waited for a
 * connection inside their attempt's deadline.
 */
class ConnectionPoolTest {

    @Test
    void asManyRequestsAsTheConfiguredPoolAreOnTheWireAtOnce() {
        int connections = 12;
        try (RecordingReceiver receiver = RecordingReceiver.start();
                SenderFixture fixture = new SenderFixture(
                        "cloudnexus.webhooks.outbound.max-connections-per-host",
                        String.valueOf(connections),
                        // nothing may finish while the requests arrive: an attempt ends only at this deadline
                        "cloudnexus.webhooks.outbound.timeout",
                        "60s")) {
            receiver.defaultReply(Reply.hang());
            List<CompletableFuture<AttemptResult>> attempts = new ArrayList<>();
            for (int i = 0; i < connections + 3; i++) {
                attempts.add(fixture.send(receiver.url("/pool")));
            }
            // with a pool of 5 only 5 requests would arrive before the first attempt timed out (60 s)
            receiver.awaitCount(connections, Duration.ofSeconds(30));
            assertThat(attempts).noneMatch(CompletableFuture::isDone);
            assertThat(receiver.count()).as("the pool's bound holds").isEqualTo(connections);
        }
    }
}
