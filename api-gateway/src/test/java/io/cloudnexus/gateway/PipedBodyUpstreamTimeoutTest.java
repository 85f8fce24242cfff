package io.cloudnexus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A piped body (Content-Length, no Idempotency-Key) that the client drips while the service waits for it: when
 * the service's timeout comes first (1 s here, the body deadline 20 s), the failure is still the client's, 408
 * with the connection closed, never a 504 that blames the service.
 */
@QuarkusTest
@GatewayTest
@TestProfile(PipedBodyUpstreamTimeoutTest.ServiceGivesUpFirst.class)
class PipedBodyUpstreamTimeoutTest {

    public static class ServiceGivesUpFirst implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cloudnexus.gateway.upstream.timeout", "1s", "cloudnexus.gateway.body-read-timeout", "20s");
        }
    }

    @Test
    void aDrippedPipedBodyIs408WhenTheServiceGivesUpWaitingForIt() throws Exception {
        Accounts.Credentials caller = Accounts.professional();
        String head = "POST /v2/servers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + caller.key()
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        try (Socket socket = BodyDeadlineTest.openHolding(head, "{\"a\":")) {
            long started = System.nanoTime();
            String status = BodyDeadlineTest.statusLine(socket);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(status).startsWith("HTTP/1.1 408");
            // the 1 s upstream timeout, far from the 20 s body deadline
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(8));
            assertThat(socket.getInputStream().readAllBytes()).isNotNull();
        }
    }
}
