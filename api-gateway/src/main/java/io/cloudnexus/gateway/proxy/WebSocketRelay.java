package io.cloudnexus.gateway.proxy;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.problem.LogSafe;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.problem.ProblemWriter;
import io.cloudnexus.gateway.problem.RequestIds;
import io.cloudnexus.gateway.service.IdentityTokenMinter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * The WebSocket of the stream route: once the upgrade request is admitted (like any /v2 request: it
 * counts once against the rate limit, frames never do), the gateway first opens the WebSocket to the
 * service (identity token as {@code Authorization}, the {@link Forwarder#FORWARDED allowed} client
 * headers, {@code X-Request-Id}, the query without credentials) and only then accepts the client's
 * upgrade, so a service that refuses it (429 with Retry-After, 401, 400, 404...) is answered to the
 * client as that HTTP response; a service that cannot be reached is 503 with Retry-After.
 *
 * <p>Then text and binary messages are relayed both ways, with backpressure (the side whose peer's write
 * queue is full is paused until it drains), and a close by either side closes the other with the same code
 * and reason (the service's 4000-4999 codes reach the client as they are). A connection lost without a close
 * frame closes the other side with 1011 (service) or 1001 (client). A stream whose credential no longer
 * verifies ({@link OpenStreams}) is closed on both sides with {@value #CREDENTIAL_REVOKED} "credential revoked".
 */
@ApplicationScoped
public class WebSocketRelay {

    private static final Logger LOG = Logger.getLogger(WebSocketRelay.class);

    /** The close code of a stream whose credential was revoked, deleted or expired. */
    public static final short CREDENTIAL_REVOKED = 4003;

    static final String CREDENTIAL_REVOKED_REASON = "credential revoked";

    private final UpstreamClient client;
    private final IdentityTokenMinter tokens;
    private final ProblemWriter problems;
    private final GatewayMetrics metrics;
    private final OpenStreams streams;
    private final Forwarder forwarder;
    private final long handshakeTimeoutMillis;

    public WebSocketRelay(
            UpstreamClient client,
            IdentityTokenMinter tokens,
            ProblemWriter problems,
            GatewayMetrics metrics,
            OpenStreams streams,
            Forwarder forwarder,
            GatewayConfig config) {
        this.client = client;
        this.tokens = tokens;
        this.problems = problems;
        this.metrics = metrics;
        this.streams = streams;
        this.forwarder = forwarder;
        this.handshakeTimeoutMillis = config.upstream().timeout().toMillis();
    }

    /** Whether {@code request} asks for a WebSocket (an HTTP/1.1 GET with {@code Upgrade: websocket}). */
    static boolean isUpgrade(HttpServerRequest request) {
        return request.method() == HttpMethod.GET
                && request.version() == HttpVersion.HTTP_1_1
                && "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
    }

    /** Relays the admitted upgrade request {@code exchange}. */
    void relay(Exchange exchange) {
        if (streams.full(OpenStreams.Kind.WEBSOCKET)) {
            exchange.refuse(problems, forwarder.unavailable(exchange, null), exchange.rateHeaders());
            return;
        }
        HttpServerRequest in = exchange.request();
        RouteTable.Upstream upstream = exchange.target.upstream();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setURI(exchange.target.uri())
                // the handshake is answered within upstream.timeout; the WebSocket itself has no deadline
                .setIdleTimeout(handshakeTimeoutMillis)
                .setHeaders(Forwarder.upstreamHeaders(
                        in, tokens.tokenFor(exchange.admission.caller()), exchange.requestId));
        long started = System.nanoTime();
        String service = upstream.name();
        client.webSockets().connect(options).onComplete(ar -> {
            try {
                if (ar.failed()) {
                    refused(exchange, ar.cause(), started);
                    return;
                }
                metrics.upstream(service, "answered", System.nanoTime() - started);
                WebSocket toService = ar.result();
                // nothing is read from the service until the client's side is there to write it to
                toService.pause();
                // the 101 carries the request id and the rate-limit headers like any answer
                HttpServerResponse handshake = exchange.response();
                handshake.putHeader(RequestIds.HEADER, exchange.requestId);
                exchange.rateHeaders().forEach(handshake::putHeader);
                in.toWebSocket().onComplete(accepted -> {
                    if (accepted.failed()) {
                        LOG.debugf(
                                "Client upgrade failed (request %s): %s",
                                exchange.requestId, LogSafe.clean(String.valueOf(accepted.cause())));
                        toService.close((short) 1001, "client went away");
                        return;
                    }
                    metrics.answered(service, 101);
                    bridge(exchange, accepted.result(), toService);
                });
            } catch (RuntimeException e) {
                exchange.fail(problems, e);
            }
        });
    }

    /** The service did not accept the upgrade: its answer, or 503/504 when it could not be reached. */
    private void refused(Exchange exchange, Throwable cause, long started) {
        String service = exchange.target.upstream().name();
        if (!(cause instanceof UpgradeRejectedException rejected)) {
            metrics.upstream(service, "unreachable", System.nanoTime() - started);
            exchange.refuse(problems, forwarder.failure(exchange, cause), exchange.rateHeaders());
            return;
        }
        metrics.upstream(service, "answered", System.nanoTime() - started);
        MultiMap headers = rejected.getHeaders() == null ? MultiMap.caseInsensitiveMultiMap() : rejected.getHeaders();
        ProblemException problem = forwarder.replacement(
                exchange,
                rejected.getStatus(),
                headers.get(HttpHeaders.CONTENT_TYPE),
                headers.get(HttpHeaders.RETRY_AFTER));
        if (problem != null || rejected.getStatus() < 200) {
            exchange.refuse(
                    problems,
                    problem != null ? problem : forwarder.unavailable(exchange, null),
                    exchange.rateHeaders());
            return;
        }
        HttpServerResponse response = Forwarder.copyHead(exchange, rejected.getStatus(), headers);
        response.headers().remove(HttpHeaders.CONTENT_LENGTH);
        Buffer body = rejected.getBody();
        response.end(body == null ? Buffer.buffer() : body);
    }

    /** Relays messages and closes both ways; registers the stream for the credential re-check. */
    private void bridge(Exchange exchange, ServerWebSocket toClient, WebSocket toService) {
        Link link = new Link(toClient, toService);
        OpenStreams.Stream open = streams.open(OpenStreams.Kind.WEBSOCKET, exchange.admission.credential(), () -> {
            LOG.debugf("Closing WebSocket stream (request %s): credential no longer valid", exchange.requestId);
            link.closeBoth(CREDENTIAL_REVOKED, CREDENTIAL_REVOKED_REASON);
        });
        pipe(toClient, toService);
        pipe(toService, toClient);
        toClient.closeHandler(v -> {
            open.close();
            link.closedBy(toClient);
        });
        toService.closeHandler(v -> {
            open.close();
            link.closedBy(toService);
        });
        toClient.exceptionHandler(e -> LOG.debugf(
                "Client WebSocket failed (request %s): %s", exchange.requestId, LogSafe.clean(String.valueOf(e))));
        toService.exceptionHandler(e -> LOG.debugf(
                "Service WebSocket failed (request %s): %s", exchange.requestId, LogSafe.clean(String.valueOf(e))));
        toService.resume();
        LOG.debugf(
                "WebSocket stream open (request %s, account %s): %s",
                exchange.requestId,
                exchange.admission.caller().accountId(),
                LogSafe.uri(exchange.request().uri()));
    }

    /** Relays text and binary messages from {@code from} to {@code to}, pausing {@code from} while {@code to} is full. */
    private static void pipe(WebSocketBase from, WebSocketBase to) {
        from.textMessageHandler(text -> {
            to.writeTextMessage(text);
            throttle(from, to);
        });
        from.binaryMessageHandler(bytes -> {
            to.writeBinaryMessage(bytes);
            throttle(from, to);
        });
    }

    private static void throttle(WebSocketBase from, WebSocketBase to) {
        if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
        }
    }

    /** The two WebSockets of one stream; the first close (by either side, or the gateway) closes both. */
    private static final class Link {
        private final ServerWebSocket client;
        private final WebSocket service;
        private boolean closing;

        Link(ServerWebSocket client, WebSocket service) {
            this.client = client;
            this.service = service;
        }

        /** {@code side} closed (or its connection was lost): the other side is closed with the same code. */
        void closedBy(WebSocketBase side) {
            if (closing) {
                return;
            }
            closing = true;
            boolean byService = side == service;
            WebSocketBase other = byService ? client : service;
            Short code = side.closeStatusCode();
            String reason = side.closeReason();
            if (code == null || code == 1006 || code == 1015) {
                // no close frame came: the connection was lost
                other.close(
                        byService ? (short) 1011 : (short) 1001,
                        byService ? "stream service went away" : "client went away");
            } else if (code == 1005) {
                other.close((short) 1000);
            } else if (sendable(code)) {
                other.close(code, reason);
            } else {
                other.close((short) 1011, "stream closed");
            }
        }

        /** The gateway closes the stream: both sides get {@code code} and {@code reason}. */
        void closeBoth(short code, String reason) {
            if (closing) {
                return;
            }
            closing = true;
            client.close(code, reason);
            service.close(code, reason);
        }

        /** Codes a close frame may carry (RFC 6455 7.4: 1004-1006 and 1015 are never sent). */
        private static boolean sendable(short code) {
            return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
        }
    }
}
