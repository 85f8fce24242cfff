package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.cloudnexus.gateway.service.ApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * The live event stream through the gateway ({@code /v2/events/stream}) against a stand-in webhook-service
 * ({@link StreamUpstream}: real Vert.x WebSockets and SSE), with real clients: the JDK's
 * {@link WebSocket} and {@link HttpClient} reading SSE lines. Upstream timeout 2 s, credential re-check
 * every second, tickets valid 3 s.
 */
@QuarkusTest
@GatewayTest
@TestProfile(EventStreamTest.Streams.class)
class EventStreamTest {

    static final StreamUpstream SERVICE = StreamUpstream.start();
    static final String TYPES = "types=server.*,billing.invoice.finalized&since=evt_123";
    static final Duration WAIT = Duration.ofSeconds(10);

    public static class Streams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "cloudnexus.gateway.routes.webhook",
                    SERVICE.url(),
                    "cloudnexus.gateway.upstream.timeout",
                    "2s",
                    "cloudnexus.gateway.stream.recheck-interval",
                    "1s",
                    "cloudnexus.gateway.stream.ticket-ttl",
                    "3s",
                    // every log line that could show a ticket: the access log and the gateway's debug lines
                    "quarkus.http.access-log.enabled",
                    "true",
                    "quarkus.log.category.\"io.cloudnexus.gateway\".level",
                    "DEBUG");
        }
    }

    @AfterAll
    static void stop() {
        SERVICE.close();
    }

    @Inject
    DataSource dataSource;

    final HttpClient http = HttpClient.newHttpClient();

    // --- WebSocket ---

    @Test
    void relaysFramesBothWaysWithTheIdentityOfTheKeysAccountAndTheQuery() throws Exception {
        Accounts.Credentials caller = Accounts.newAccount("professional", "read");
        double upgrades = metric("cloudnexus_gateway_requests_total", "service=\"webhook\",status=\"101\"");
        Client client = connect(TYPES, Map.of("Authorization", "Bearer " + caller.key(), "X-Request-Id", "req_ws1"));
        JsonObject hello = new JsonObject(client.nextText());
        assertThat(hello.getString("sub")).isEqualTo(caller.accountId());
        assertThat(hello.getJsonArray("groups").getList()).containsExactly("read");
        assertThat(hello.getString("query")).isEqualTo(TYPES);
        assertThat(hello.getString("request_id")).isEqualTo("req_ws1");

        client.ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(client.nextText()).isEqualTo("echo:hello");
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        client.ws.sendBinary(ByteBuffer.wrap(bytes), true).get(5, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo(bytes);
        await().atMost(WAIT).until(() -> openStreams("websocket") >= 1);
        assertThat(metric("cloudnexus_gateway_requests_total", "service=\"webhook\",status=\"101\""))
                .isEqualTo(upgrades + 1);

        client.ws.sendClose(4100, "bye").get(5, TimeUnit.SECONDS);
        StreamUpstream.Closed atService = lastWebSocketClosed().get(5, TimeUnit.SECONDS);
        assertThat(atService.code()).isEqualTo((short) 4100);
        assertThat(atService.reason()).isEqualTo("bye");
        assertThat(client.closed.get(5, TimeUnit.SECONDS).code()).isEqualTo(4100);
        await().atMost(WAIT).until(() -> openStreams("websocket") == 0);
    }

    @Test
    void theServicesCloseCodeReachesTheClient() throws Exception {
        Client client = connect(
                TYPES,
                Map.of("Authorization", "Bearer " + Accounts.professional().key()));
        client.nextText();
        client.ws.sendText("close-4008", true);
        Closed closed = client.closed.get(5, TimeUnit.SECONDS);
        assertThat(closed.code()).isEqualTo(4008);
        assertThat(closed.reason()).isEqualTo("slow consumer");
    }

    @Test
    void theUpgradeIsCheckedLikeAnyRequestBeforeTheServiceIsCalled() throws Exception {
        int before = SERVICE.requests.get();
        HttpResponse<?> anonymous = refusedUpgrade(TYPES, Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        Accounts.Credentials writeOnly = Accounts.newAccount("starter", "write");
        HttpResponse<?> wrongScope = refusedUpgrade(TYPES, Map.of("Authorization", "Bearer " + writeOnly.key()));
        assertThat(wrongScope.statusCode()).isEqualTo(403);
        assertThat(wrongScope.headers().firstValue("X-RateLimit-Limit")).hasValue("100");

        Accounts.Credentials other = Accounts.newAccount("starter", "read");
        HttpResponse<?> otherAccount = refusedUpgrade(
                TYPES, Map.of("Authorization", "Bearer " + other.key(), "X-CloudNexus-Id", writeOnly.accountId()));
        assertThat(otherAccount.statusCode()).isEqualTo(403);

        // a key in the URL is never a credential
        HttpResponse<?> keyInUrl = refusedUpgrade("api_key=" + other.key(), Map.of());
        assertThat(keyInUrl.statusCode()).isEqualTo(401);
        assertThat(SERVICE.requests.get()).as("no request reached the service").isEqualTo(before);
    }

    @Test
    void aRefusedUpgradeIsAnsweredWithTheServicesStatusHeadersAndProblem() throws Exception {
        Accounts.Credentials caller = Accounts.professional();
        HttpResponse<?> refused =
                refusedUpgrade("mode=refuse&" + TYPES, Map.of("Authorization", "Bearer " + caller.key()));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(refused.headers().firstValue("X-RateLimit-Limit")).hasValue("500");

        String raw = rawUpgrade("/v2/events/stream?mode=refuse", caller.key(), false);
        assertThat(raw).startsWith("HTTP/1.1 429");
        assertThat(raw).containsIgnoringCase("Retry-After: 7");
        assertThat(raw).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(raw).endsWith(StreamUpstream.REFUSAL);
    }

    @Test
    void anUpgradeCountsOnceAgainstTheRateLimitAndFramesNever() throws Exception {
        Accounts.Credentials caller = Accounts.key(Accounts.createAccount("starter", 10), "read");
        Client client = connect(TYPES, Map.of("Authorization", "Bearer " + caller.key()));
        client.nextText();
        for (int i = 0; i < 20; i++) {
            client.ws.sendText("frame " + i, true).get(5, TimeUnit.SECONDS);
            assertThat(client.nextText()).isEqualTo("echo:frame " + i);
        }
        String handshake = rawUpgrade("/v2/events/stream?" + TYPES, caller.key(), true);
        assertThat(handshake).startsWith("HTTP/1.1 101");
        assertThat(handshake).containsIgnoringCase("X-RateLimit-Limit: 10");
        assertThat(handshake).as("two upgrades, no frames").containsIgnoringCase("X-RateLimit-Remaining: 8");
        assertThat(handshake).containsIgnoringCase("X-Request-Id: req_");
        Response next = given().auth().oauth2(caller.key()).get("/v2/regions");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.header("X-RateLimit-Limit")).isEqualTo("10");
        assertThat(next.header("X-RateLimit-Remaining"))
                .as("two upgrades and this request")
                .isEqualTo("7");
        client.ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
    }

    @Test
    void revokingTheKeyClosesAnOpenWebSocketWith4003() throws Exception {
        Accounts.Credentials caller = Accounts.newAccount("professional", "read");
        Client client = connect(TYPES, Map.of("Authorization", "Bearer " + caller.key()));
        client.nextText();
        revoke(caller);
        Closed closed = await().atMost(WAIT).until(() -> client.closed.getNow(null), c -> c != null);
        assertThat(closed.code()).isEqualTo(4003);
        assertThat(closed.reason()).isEqualTo("credential revoked");
        assertThat(lastWebSocketClosed().get(5, TimeUnit.SECONDS).code()).isEqualTo((short) 4003);
    }

    @Test
    void anExpiredOidcTokenClosesItsWebSocket() throws Exception {
        String accountId = Accounts.createAccount("enterprise", null);
        String token = shortLivedToken(accountId, 3);
        Client client = connect(TYPES, Map.of("Authorization", "Bearer " + token, "X-CloudNexus-Id", accountId));
        assertThat(new JsonObject(client.nextText()).getString("sub")).isEqualTo(accountId);
        Closed closed = await().atMost(WAIT).until(() -> client.closed.getNow(null), c -> c != null);
        assertThat(closed.code()).isEqualTo(4003);
    }

    @Test
    void anUnreachableServiceIs503AndALostOneCloses1011() throws Exception {
        Accounts.Credentials caller = Accounts.professional();
        Client client = connect(TYPES, Map.of("Authorization", "Bearer " + caller.key()));
        client.nextText();
        try {
            SERVICE.proxy().cut();
            Closed closed = client.closed.get(10, TimeUnit.SECONDS);
            assertThat(closed.code()).isEqualTo(1011);
            HttpResponse<?> refused = refusedUpgrade(TYPES, Map.of("Authorization", "Bearer " + caller.key()));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        } finally {
            SERVICE.proxy().restore();
        }
    }

    // --- Server-Sent Events ---

    @Test
    void sseIsStreamedAsItArrivesAndOutlivesTheUpstreamTimeout() throws Exception {
        Accounts.Credentials caller = Accounts.professional();
        long started = System.nanoTime();
        Sse sse = openSse(TYPES, caller.key(), "evt_0");
        assertThat(sse.response.statusCode()).isEqualTo(200);
        assertThat(sse.response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(sse.response.headers().firstValue("X-RateLimit-Limit")).hasValue("500");
        sse.awaitLine("id: evt_1");
        assertThat(SERVICE.secondEventWritten)
                .as("the first event came before the service wrote more")
                .isFalse();
        assertThat(SERVICE.lastSeen().lastEventId()).isEqualTo("evt_0");
        assertThat(SERVICE.lastSeen().query()).isEqualTo(TYPES);
        assertThat(SERVICE.lastSeen().subject()).isEqualTo(caller.accountId());
        await().atMost(WAIT).until(() -> openStreams("sse") >= 1);

        sse.awaitLine("id: evt_2");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("silence longer than upstream.timeout (2 s) did not cut the stream")
                .isGreaterThanOrEqualTo(Duration.ofMillis(StreamUpstream.SECOND_EVENT_AFTER_MS));
        assertThat(sse.ended.isDone()).isFalse();

        CompletableFuture<Void> atService = SERVICE.sseClosed.get(SERVICE.sseClosed.size() - 1);
        sse.close();
        atService.get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> openStreams("sse") == 0);
    }

    @Test
    void revokingTheKeyEndsAnOpenSseStream() throws Exception {
        Accounts.Credentials caller = Accounts.professional();
        Sse sse = openSse(TYPES, caller.key(), null);
        sse.awaitLine("id: evt_1");
        revoke(caller);
        sse.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(sse.ended).isCompleted();
        SERVICE.sseClosed.get(SERVICE.sseClosed.size() - 1).get(10, TimeUnit.SECONDS);
    }

    // --- Tickets ---

    @Test
    void aTicketIsIssuedStoredHashedAndOpensTheStreamOnce() throws Exception {
        LogLines logs = LogLines.capture();
        Accounts.Credentials caller = Accounts.newAccount("professional", "read");
        Instant before = Instant.now();
        Response issued = issueTicket(caller.key());
        assertThat(issued.statusCode()).as(issued.asString()).isEqualTo(201);
        assertThat(issued.header("Cache-Control")).isEqualTo("no-store");
        String ticket = issued.jsonPath().getString("ticket");
        assertThat(ticket).matches("tkt_[0-9A-Za-z]{40}");
        assertThat(issued.jsonPath().getString("url")).isEqualTo("/v2/events/stream?ticket=" + ticket);
        String expiresAt = issued.jsonPath().getString("expires_at");
        assertThat(expiresAt).endsWith("Z");
        assertThat(Instant.parse(expiresAt))
                .isBetween(before.plusSeconds(2), Instant.now().plusSeconds(4));

        List<String> rows = ticketRows(caller.accountId());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0))
                .doesNotContain(ticket)
                .contains(ApiKeys.hash(ticket))
                .contains(caller.keyId());

        Client client = connect("ticket=" + ticket + "&" + TYPES, Map.of());
        JsonObject hello = new JsonObject(client.nextText());
        assertThat(hello.getString("sub")).isEqualTo(caller.accountId());
        assertThat(hello.getString("query")).as("the ticket is not forwarded").isEqualTo(TYPES);
        assertThat(SERVICE.lastSeen().query()).doesNotContain("ticket").doesNotContain(ticket);

        assertThat(refusedUpgrade("ticket=" + ticket, Map.of()).statusCode())
                .as("a used ticket")
                .isEqualTo(401);
        client.ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
        try {
            await().atMost(WAIT).until(() -> logs.any("\"GET /v2/events/stream HTTP/1.1\" 401"));
            assertThat(logs.any("WebSocket stream open") && logs.any("ticket=***"))
                    .isTrue();
            assertThat(logs.lines()).noneMatch(line -> line.contains(ticket));
        } finally {
            logs.close();
        }
    }

    @Test
    void aKeyRevokedThroughAnotherReplicaClosesTheStreamDespiteThisReplicasCache() throws Exception {
        Accounts.Credentials caller = Accounts.professional();
        Client client = connect(TYPES, Map.of("Authorization", "Bearer " + caller.key()));
        client.nextText();
        // the key is in this replica's cache; another replica's admin API only changes the database
        assertThat(given().auth().oauth2(caller.key()).get("/v2/regions").statusCode())
                .isEqualTo(200);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE api_key SET revoked_at = now() WHERE id = ?")) {
            ps.setString(1, caller.keyId());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        long revoked = System.nanoTime();
        Closed closed = await().atMost(WAIT).until(() -> client.closed.getNow(null), c -> c != null);
        assertThat(closed.code()).isEqualTo(4003);
        assertThat(Duration.ofNanos(System.nanoTime() - revoked))
                .as("within the re-check interval (1 s) and a round trip")
                .isLessThan(Duration.ofSeconds(5));
        StatusCodesTest.assertProblem(given().auth().oauth2(caller.key()).get("/v2/regions"), 401);
    }

    @Test
    void aTicketStandsForNothingOutsideTheStreamAndOpensSse() throws Exception {
        Accounts.Credentials caller = Accounts.professional();
        String ticket = issueTicket(caller.key()).jsonPath().getString("ticket");
        StatusCodesTest.assertProblem(given().get("/v2/regions?ticket=" + ticket), 401);
        StatusCodesTest.assertProblem(given().get("/v2/events/stream/tickets?ticket=" + ticket), 405);
        // the ticket was not used up by those requests
        HttpResponse<Stream<String>> response = http.send(
                HttpRequest.newBuilder(gateway("/v2/events/stream?ticket=" + ticket))
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        Sse sse = new Sse(response);
        sse.awaitLine("id: evt_1");
        assertThat(SERVICE.lastSeen().query()).isNull();
        sse.close();
    }

    @Test
    void anExpiredOrUnknownTicketIs401() throws Exception {
        Accounts.Credentials caller = Accounts.professional();
        Response issued = issueTicket(caller.key());
        Instant expiresAt = Instant.parse(issued.jsonPath().getString("expires_at"));
        await().atMost(WAIT).until(() -> Instant.now().isAfter(expiresAt.plusMillis(100)));
        int before = SERVICE.requests.get();
        assertThat(refusedUpgrade("ticket=" + issued.jsonPath().getString("ticket"), Map.of())
                        .statusCode())
                .isEqualTo(401);
        assertThat(refusedUpgrade("ticket=" + ApiKeys.newSecret("tkt_"), Map.of())
                        .statusCode())
                .isEqualTo(401);
        assertThat(refusedUpgrade("ticket=not-a-ticket", Map.of()).statusCode()).isEqualTo(401);
        StatusCodesTest.assertProblem(given().get("/v2/events/stream?ticket=not-a-ticket"), 401);
        assertThat(SERVICE.requests.get()).isEqualTo(before);
    }

    @Test
    void ticketsNeedTheReadScopeAndDieWithTheirKey() throws Exception {
        StatusCodesTest.assertProblem(
                issueTicket(Accounts.newAccount("starter", "write").key()), 403);
        StatusCodesTest.assertProblem(given().post("/v2/events/stream/tickets"), 401);

        Accounts.Credentials caller = Accounts.newAccount("starter", "read");
        String ticket = issueTicket(caller.key()).jsonPath().getString("ticket");
        Client client = connect("ticket=" + ticket, Map.of());
        client.nextText();
        revoke(caller);
        Closed closed = await().atMost(WAIT).until(() -> client.closed.getNow(null), c -> c != null);
        assertThat(closed.code())
                .as("a ticket's stream is re-checked by its key")
                .isEqualTo(4003);

        Accounts.Credentials revokedBeforeUse = Accounts.newAccount("starter", "read");
        String unused = issueTicket(revokedBeforeUse.key()).jsonPath().getString("ticket");
        revoke(revokedBeforeUse);
        assertThat(refusedUpgrade("ticket=" + unused, Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void anOidcTicketIsBoundToTheTokensSubjectAndExpiry() throws Exception {
        String accountId = Accounts.createAccount("enterprise", null);
        long tokenExpiry = System.currentTimeMillis() / 1000 + 2;
        String token = shortLivedToken(accountId, 2);
        Response issued = given().auth()
                .oauth2(token)
                .header("X-CloudNexus-Id", accountId)
                .post("/v2/events/stream/tickets");
        assertThat(issued.statusCode()).as(issued.asString()).isEqualTo(201);
        assertThat(Instant.parse(issued.jsonPath().getString("expires_at")))
                .as("no later than the token")
                .isBeforeOrEqualTo(Instant.ofEpochSecond(tokenExpiry + 1));
        assertThat(ticketRows(accountId))
                .singleElement()
                .satisfies(row ->
                        assertThat(row).contains("\"oidc_subject\": \"alice\"").contains("\"api_key_id\": null"));
    }

    @Test
    void aConsoleSessionGetsATicketThatOpensTheWebSocketAndTheKeysRevocationClosesIt() throws Exception {
        Accounts.Credentials caller = Accounts.newAccount("starter", "read");
        ConsoleSessionTest.Signed signed = ConsoleSessionTest.signIn(caller);
        Response issued = ConsoleSessionTest.session(signed)
                .header("Origin", "http://localhost:" + RestAssured.port)
                .post("/v2/events/stream/tickets");
        assertThat(issued.statusCode()).as(issued.asString()).isEqualTo(201);
        String ticket = issued.jsonPath().getString("ticket");

        int before = SERVICE.requests.get();
        HttpResponse<?> cookieOnly =
                refusedUpgrade(TYPES, Map.of("Cookie", "cn_console=" + signed.cookie(), "X-CSRF-Token", signed.csrf()));
        assertThat(cookieOnly.statusCode())
                .as("the stream takes a ticket or Authorization, never the cookie")
                .isEqualTo(401);
        assertThat(SERVICE.requests.get()).isEqualTo(before);

        // a browser sends the cookie on the same-origin upgrade too: the ticket decides
        Client client = connect(
                "ticket=" + ticket + "&" + TYPES,
                Map.of("Cookie", "cn_console=" + signed.cookie(), "Origin", "http://localhost:" + RestAssured.port));
        JsonObject hello = new JsonObject(client.nextText());
        assertThat(hello.getString("sub")).isEqualTo(caller.accountId());
        assertThat(hello.getJsonArray("groups").getList()).containsExactly("read");

        revoke(caller);
        Closed closed = await().atMost(WAIT).until(() -> client.closed.getNow(null), c -> c != null);
        assertThat(closed.code()).isEqualTo(4003);
        assertThat(ConsoleSessionTest.session(signed).get("/v2/events").statusCode())
                .isEqualTo(401);
    }

    // --- helpers ---

    /** Every log record of the application while capturing (message and parameters as text). */
    static final class LogLines extends java.util.logging.Handler {
        private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        static LogLines capture() {
            LogLines handler = new LogLines();
            handler.setLevel(java.util.logging.Level.ALL);
            java.util.logging.Logger.getLogger("").addHandler(handler);
            return handler;
        }

        @Override
        public void publish(java.util.logging.LogRecord record) {
            Object[] parameters = record.getParameters();
            lines.add(record.getMessage() + (parameters == null ? "" : " " + java.util.Arrays.toString(parameters)));
        }

        boolean any(String text) {
            return lines.stream().anyMatch(line -> line.contains(text));
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            java.util.logging.Logger.getLogger("").removeHandler(this);
        }
    }

    record Closed(int code, String reason) {}

    /** A JDK WebSocket client that queues what it receives (String or byte[]). */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Closed> closed = new CompletableFuture<>();
        private StringBuilder text = new StringBuilder();
        private ByteArrayOutputStream binary = new ByteArrayOutputStream();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text = new StringBuilder();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                received.add(binary.toByteArray());
                binary = new ByteArrayOutputStream();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        Object next() throws InterruptedException {
            Object message = received.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message within 10 s").isNotNull();
            return message;
        }

        String nextText() throws InterruptedException {
            Object message = next();
            assertThat(message).isInstanceOf(String.class);
            return (String) message;
        }
    }

    /** An SSE response read line by line on its own thread. */
    static final class Sse {
        final HttpResponse<Stream<String>> response;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();

        Sse(HttpResponse<Stream<String>> response) {
            this.response = response;
            Thread reader = new Thread(
                    () -> {
                        try {
                            Iterator<String> it = response.body().iterator();
                            while (it.hasNext()) {
                                lines.add(it.next());
                            }
                            ended.complete(null);
                        } catch (RuntimeException e) {
                            ended.completeExceptionally(e);
                        }
                    },
                    "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        void awaitLine(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<String> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null) {
                    seen.add(line);
                    if (line.equals(expected)) {
                        return;
                    }
                }
            }
            throw new AssertionError("No line '" + expected + "' within " + WAIT + "; got " + seen);
        }

        void close() {
            response.body().close();
        }
    }

    static URI gateway(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + RestAssured.port + pathAndQuery);
    }

    Client connect(String query, Map<String, String> headers) throws Exception {
        Client client = new Client();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        client.ws = builder.buildAsync(
                        URI.create("ws://127.0.0.1:" + RestAssured.port + "/v2/events/stream?" + query), client)
                .get(10, TimeUnit.SECONDS);
        return client;
    }

    /** The HTTP response of an upgrade the gateway refused. */
    HttpResponse<?> refusedUpgrade(String query, Map<String, String> headers) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> connect(query, headers));
        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure.getCause()).getResponse();
    }

    /**
     * An upgrade request on a raw socket: the answer as text (status line and headers, and unless
     * {@code headOnly} the body of its Content-Length).
     */
    static String rawUpgrade(String pathAndQuery, String key, boolean headOnly) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (true) {
                String sofar = answer.toString(StandardCharsets.UTF_8);
                int headEnd = sofar.indexOf("\r\n\r\n");
                if (headEnd > 0 && headOnly) {
                    return sofar.substring(0, headEnd);
                }
                if (headEnd > 0) {
                    Matcher length =
                            Pattern.compile("(?i)content-length: *(\\d+)").matcher(sofar);
                    if (length.find() && sofar.length() >= headEnd + 4 + Integer.parseInt(length.group(1))) {
                        return sofar;
                    }
                }
                int n = in.read(buffer);
                if (n < 0) {
                    return answer.toString(StandardCharsets.UTF_8);
                }
                answer.write(buffer, 0, n);
            }
        }
    }

    Sse openSse(String query, String key, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway("/v2/events/stream?" + query))
                .header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new Sse(http.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    static Response issueTicket(String key) {
        return given().auth().oauth2(key).post("/v2/events/stream/tickets");
    }

    static void revoke(Accounts.Credentials caller) {
        given().auth()
                .oauth2(Accounts.ADMIN_KEY)
                .delete("/admin/accounts/{id}/keys/{key}", caller.accountId(), caller.keyId())
                .then()
                .statusCode(200);
    }

    static String shortLivedToken(String accountId, int seconds) {
        long now = System.currentTimeMillis() / 1000;
        return io.smallrye.jwt.build.Jwt.preferredUserName("alice")
                .subject("alice")
                .issuer("https://server.example.com")
                .audience("https://service.example.com")
                .groups(Set.of())
                .claim("cloudnexus_account", accountId)
                .claim("scope", "read")
                .issuedAt(now)
                .expiresAt(now + seconds)
                .jws()
                .keyId("1")
                .sign();
    }

    /** The account's ticket rows, each as JSON text (every column). */
    List<String> ticketRows(String accountId) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT jsonb_pretty(to_jsonb(t)) FROM stream_ticket t WHERE account_id = ?")) {
            ps.setString(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }

    CompletableFuture<StreamUpstream.Closed> lastWebSocketClosed() {
        return SERVICE.webSocketsClosed.get(SERVICE.webSocketsClosed.size() - 1);
    }

    /** The gauge of open streams of one kind on this replica. */
    static double openStreams(String kind) {
        double value = metric("cloudnexus_gateway_streams_open", "kind=\"" + kind + "\"");
        assertThat(value).as("the gauge for " + kind).isGreaterThanOrEqualTo(0);
        return value;
    }

    /** A Prometheus sample whose labels are exactly {@code labels} (in order), or 0 when there is none yet. */
    static double metric(String name, String labels) {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile(Pattern.quote(name + "{" + labels) + "[^}]*} ([0-9.E+-]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
