package io.cloudnexus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudnexus.testsupport.RecordingReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The credential is checked before any body byte is read: an unauthenticated request is answered 401
 * while its client still holds the body open (it is never buffered, no 100 Continue invites it), and an
 * authenticated client that drips its body is cut off with 408 after {@code body-read-timeout} (2 s in
 * tests). Raw sockets, so the test controls exactly when body bytes are sent.
 */
@QuarkusTest
@GatewayTest
class BodyDeadlineTest {

    static final String UNKNOWN_KEY = "cn_live_sk_" + "x".repeat(40);

    RecordingReceiver upstream = UpstreamReceiverResource.receiver();

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    /** A connection to the gateway that has sent {@code head} and one body chunk, and holds the rest back. */
    static Socket openHolding(String head, String firstBodyBytes) throws IOException {
        Socket socket = new Socket("127.0.0.1", RestAssured.port);
        socket.setSoTimeout(8000);
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(firstBodyBytes.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static String chunkedHead(String authorization, String extraHeaders) {
        return "POST /v2/servers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + authorization
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n" + extraHeaders + "\r\n";
    }

    static String statusLine(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    @Test
    void anUnauthenticatedChunkedPostIs401WhileItsBodyIsStillOpen() throws Exception {
        for (String extra : new String[] {"", "Idempotency-Key: body-before-auth-1\r\n"}) {
            try (Socket socket = openHolding(chunkedHead(UNKNOWN_KEY, extra), "5\r\n{\"a\":\r\n")) {
                long started = System.nanoTime();
                assertThat(statusLine(socket)).as("with headers [%s]", extra).startsWith("HTTP/1.1 401");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            }
        }
        assertThat(upstream.count()).isZero();
    }

    @Test
    void anUnauthenticatedClientExpectingContinueGets401InsteadOfAnInvitation() throws Exception {
        String head = "POST /v2/servers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + UNKNOWN_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n";
        try (Socket socket = openHolding(head, "")) {
            assertThat(statusLine(socket)).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void anAdmittedClientThatDripsItsBodyIsCutOffWith408() throws Exception {
        Accounts.Credentials caller = Accounts.professional();
        String piped = "POST /v2/servers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + caller.key()
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        String[][] cases = {
            {chunkedHead(caller.key(), ""), "5\r\n{\"a\":\r\n"},
            {chunkedHead(caller.key(), "Idempotency-Key: drip-1\r\n"), "5\r\n{\"a\":\r\n"},
            {piped, "{\"a\":"}
        };
        for (String[] c : cases) {
            try (Socket socket = openHolding(c[0], c[1])) {
                long started = System.nanoTime();
                String status = statusLine(socket);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertThat(status).as(c[0]).startsWith("HTTP/1.1 408");
                // the 2 s body deadline, before the 3 s upstream timeout (PipedBodyUpstreamTimeoutTest: the
                // service giving up first is the client's 408 too)
                assertThat(took).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
                // and the connection is closed: the rest of the answer, then end of stream
                assertThat(socket.getInputStream().readAllBytes()).isNotNull();
            }
        }
    }
}
