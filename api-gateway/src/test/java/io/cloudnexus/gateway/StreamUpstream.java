package io.cloudnexus.gateway;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.jwt.JwtClaims;

import io.cloudnexus.testsupport.TcpProxy;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A stand-in for webhook-service's live event stream at {@code /events/stream}, on its own Vert.x, behind
 * a {@link TcpProxy} (cut it to make the service unreachable). It verifies the identity token it gets.
 *
 * <ul>
 *   <li>WebSocket: first sends {@code {"sub","groups","query","request_id"}} (what it was called with), then
 *       answers each text message {@code m} with {@code echo:m} and each binary message with itself; the text
 *       {@code close-4008} makes it close with 4008 "slow consumer".
 *   <li>{@code mode=refuse} in the query: 429 problem details with {@code Retry-After: 7} instead of an upgrade.
 *   <li>{@code Accept: text/event-stream}: an SSE response that writes {@code evt_1} at once, {@code evt_2}
 *       {@value #SECOND_EVENT_AFTER_MS} ms later (nothing in between: longer than the gateway's upstream timeout),
 *       and never ends by itself.
 * </ul>
 */
final class StreamUpstream implements AutoCloseable {

    static final long SECOND_EVENT_AFTER_MS = 3000;
    static final String REFUSAL =
            "{\"type\":\"https://docs.cloudnexus.io/problems/too-many-streams\",\"title\":\"Too many streams\","
                    + "\"status\":429,\"detail\":\"The account has too many open streams\"}";

    /** One request the service saw. */
    record Seen(String kind, String subject, List<String> groups, String query, String requestId, String lastEventId) {}

    /** How one WebSocket the service held ended (the close code and reason it received). */
    record Closed(Short code, String reason) {}

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final TcpProxy proxy;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Closed>> webSocketsClosed = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> sseClosed = new CopyOnWriteArrayList<>();
    /** Whether the second event of the latest SSE stream has been written. */
    final AtomicBoolean secondEventWritten = new AtomicBoolean();

    final AtomicInteger requests = new AtomicInteger();

    private StreamUpstream() {
        try {
            server = vertx.createHttpServer()
                    .requestHandler(this::handle)
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        proxy = TcpProxy.onFreePort()
                .forwardTo("127.0.0.1", server.actualPort())
                .restore();
    }

    static StreamUpstream start() {
        return new StreamUpstream();
    }

    /** The base URL of the service (through its proxy). */
    String url() {
        return "http://127.0.0.1:" + proxy.port();
    }

    TcpProxy proxy() {
        return proxy;
    }

    Seen lastSeen() {
        return seen.get(seen.size() - 1);
    }

    private void handle(HttpServerRequest request) {
        if (!request.path().equals("/events/stream")) {
            request.response().setStatusCode(404).end();
            return;
        }
        requests.incrementAndGet();
        JwtClaims claims;
        try {
            claims = IdentityTokenVerifier.verify(request.getHeader(HttpHeaders.AUTHORIZATION));
        } catch (Exception e) {
            request.response().setStatusCode(401).end();
            return;
        }
        boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
        Seen seenNow;
        try {
            seenNow = new Seen(
                    upgrade ? "websocket" : "sse",
                    claims.getSubject(),
                    claims.getStringListClaimValue("groups"),
                    request.query(),
                    request.getHeader("X-Request-Id"),
                    request.getHeader("Last-Event-ID"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        seen.add(seenNow);
        if ("refuse".equals(request.getParam("mode"))) {
            request.response()
                    .setStatusCode(429)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                    .putHeader(HttpHeaders.RETRY_AFTER, "7")
                    .end(REFUSAL);
            return;
        }
        if (upgrade) {
            request.toWebSocket().onSuccess(ws -> webSocket(ws, seenNow));
        } else if (String.valueOf(request.getHeader(HttpHeaders.ACCEPT)).contains("text/event-stream")) {
            sse(request.response());
        } else {
            request.response().setStatusCode(406).end();
        }
    }

    private void webSocket(ServerWebSocket ws, Seen seenNow) {
        CompletableFuture<Closed> closed = new CompletableFuture<>();
        webSocketsClosed.add(closed);
        ws.closeHandler(v -> closed.complete(new Closed(ws.closeStatusCode(), ws.closeReason())));
        ws.textMessageHandler(text -> {
            if (text.equals("close-4008")) {
                ws.close((short) 4008, "slow consumer");
            } else {
                ws.writeTextMessage("echo:" + text);
            }
        });
        ws.binaryMessageHandler(ws::writeBinaryMessage);
        ws.writeTextMessage(new JsonObject()
                .put("sub", seenNow.subject())
                .put("groups", new JsonArray(seenNow.groups()))
                .put("query", seenNow.query())
                .put("request_id", seenNow.requestId())
                .encode());
    }

    private void sse(HttpServerResponse response) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        sseClosed.add(closed);
        secondEventWritten.set(false);
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        response.write("id: evt_1\nevent: server.created\ndata: {\"n\":1}\n\n");
        long timer = vertx.setTimer(SECOND_EVENT_AFTER_MS, t -> {
            if (!response.closed()) {
                response.write("id: evt_2\nevent: server.deleted\ndata: {\"n\":2}\n\n");
                secondEventWritten.set(true);
            }
        });
        response.closeHandler(v -> {
            vertx.cancelTimer(timer);
            closed.complete(null);
        });
    }

    @Override
    public void close() {
        proxy.close();
        vertx.close();
    }
}
