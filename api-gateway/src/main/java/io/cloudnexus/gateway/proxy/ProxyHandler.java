package io.cloudnexus.gateway.proxy;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.console.PresentedCredential;
import io.cloudnexus.gateway.jsonapi.JsonApiDocuments;
import io.cloudnexus.gateway.jsonapi.JsonApiMediaType;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.problem.ProblemWriter;
import io.cloudnexus.gateway.problem.RequestIds;
import io.cloudnexus.gateway.repository.IdempotencyRepository.Record;
import io.cloudnexus.gateway.service.Gatekeeper;
import io.cloudnexus.gateway.service.Gatekeeper.Admission;
import io.cloudnexus.gateway.service.Gatekeeper.Body;
import io.cloudnexus.gateway.service.IdempotencyService;
import io.cloudnexus.gateway.tracing.RequestSpans;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * The /v2 entry: resolves the route, checks the declared size, then admits the request from its headers
 * alone (credential, account, rate limit, scope, media type: the {@link Gatekeeper}) BEFORE any body
 * byte is read, so an unauthenticated request never makes the gateway read or buffer its body. Only then
 * is the body read (buffered for an Idempotency-Key or an unknown length, else piped by the
 * {@link Forwarder}), within the body deadline (408) and the size limit (413); {@code 100 Continue} is
 * sent only at that point. Work that needs I/O (a key not in the cache, OIDC, a stream ticket, the
 * idempotency table) runs on a worker thread; a cached key is admitted on the event loop.
 *
 * <p>The {@link RouteTable.Kind#STREAM stream route} is admitted the same way (scope read; without an
 * {@code Authorization} header its {@code ticket} parameter may stand for the credential), then relayed
 * as a WebSocket ({@link WebSocketRelay}) or forwarded as an SSE stream ({@link Forwarder}); its tickets
 * are issued by {@link StreamTicketHandler}.
 *
 * <p>Without an {@code Authorization} header, a console session cookie ({@code cn_console}) may stand for
 * the credential on every route but the stream itself; its {@code Origin}, when sent, must be the gateway's
 * own (403), and the {@link Gatekeeper} checks its CSRF token.
 */
@ApplicationScoped
public class ProxyHandler {

    private final Vertx vertx;
    private final RouteTable routes;
    private final Gatekeeper gatekeeper;
    private final IdempotencyService idempotency;
    private final Forwarder forwarder;
    private final WebSocketRelay webSockets;
    private final StreamTicketHandler tickets;
    private final ProblemWriter problems;
    private final GatewayMetrics metrics;
    private final PresentedCredential credentials;
    private final JsonApiDocuments jsonApi;
    private final int maxBodyBytes;
    private final long bodyReadTimeoutMillis;

    public ProxyHandler(
            Vertx vertx,
            RouteTable routes,
            Gatekeeper gatekeeper,
            IdempotencyService idempotency,
            Forwarder forwarder,
            WebSocketRelay webSockets,
            StreamTicketHandler tickets,
            ProblemWriter problems,
            GatewayMetrics metrics,
            PresentedCredential credentials,
            JsonApiDocuments jsonApi,
            GatewayConfig config) {
        this.vertx = vertx;
        this.routes = routes;
        this.gatekeeper = gatekeeper;
        this.idempotency = idempotency;
        this.forwarder = forwarder;
        this.webSockets = webSockets;
        this.tickets = tickets;
        this.problems = problems;
        this.metrics = metrics;
        this.credentials = credentials;
        this.jsonApi = jsonApi;
        this.maxBodyBytes = config.maxBodyBytes();
        this.bodyReadTimeoutMillis = config.bodyReadTimeout().toMillis();
    }

    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        Exchange exchange = new Exchange(
                ctx, RequestIds.sanitize(request.getHeader(RequestIds.HEADER)), maxBodyBytes, bodyReadTimeoutMillis);
        RequestSpans.requestId(exchange.requestId);
        ctx.response()
                .endHandler(v -> metrics.answered(
                        exchange.target == null
                                ? "none"
                                : exchange.target.upstream().name(),
                        ctx.response().getStatusCode()));
        try {
            start(exchange);
        } catch (ProblemException refusal) {
            exchange.refuse(problems, refusal, Map.of());
        } catch (RuntimeException e) {
            exchange.fail(problems, e);
        }
    }

    private void start(Exchange exchange) {
        HttpServerRequest request = exchange.request();
        RouteTable.Target target = routes.resolve(request.path(), request.query());
        exchange.target = target;
        if (target == null) {
            throw ProblemException.notFound("No API route " + request.path());
        }
        if (target.onlyMethod() != null
                && !target.onlyMethod().equals(request.method().name())) {
            throw new ProblemException(
                    405,
                    "method-not-allowed",
                    "Method not allowed",
                    request.path() + " serves " + target.onlyMethod() + " only",
                    Map.of("Allow", target.onlyMethod()));
        }
        // JSON:API, negotiated once here (406 for an Accept this gateway cannot satisfy); the services only see JSON
        exchange.representation = target.stream()
                ? JsonApiMediaType.Representation.PLAIN
                : JsonApiMediaType.negotiate(request.getHeader(HttpHeaders.ACCEPT));
        exchange.jsonApiBody = target.kind() == RouteTable.Kind.SERVICE
                && JsonApiMediaType.is(request.getHeader(HttpHeaders.CONTENT_TYPE));
        long length = contentLength(request);
        if (length > maxBodyBytes) {
            throw tooLarge();
        }
        // a console session cookie stands for the credential only without Authorization, never on the stream
        // route itself (a WebSocket upgrade cannot carry the CSRF header: the console gets a ticket first)
        PresentedCredential.Presented presented = credentials.of(request, !target.stream());
        String credential = presented.bearer();
        String session = presented.session();
        // a ticket stands for the credential only on the stream route, and only without Authorization
        String ticket = !presented.authorization() && target.stream() ? target.ticket() : null;
        if (credential == null && ticket == null && session == null) {
            throw ProblemException.unauthorized(
                    target.stream()
                            ? "Send Authorization: Bearer <API key or access token>, or a ticket from POST "
                                    + RouteTable.TICKETS_PATH + " as ?ticket= (keys are never accepted in the URL)"
                            : "Send Authorization: Bearer <API key or access token>");
        }
        String key = request.method() == HttpMethod.POST && target.kind() == RouteTable.Kind.SERVICE
                ? request.getHeader(IdempotencyService.HEADER)
                : null;
        if (key != null) {
            IdempotencyService.validateKey(key);
        }
        // Without a Content-Length (chunked HTTP/1.1, or HTTP/2) the size is only known once read.
        boolean unknownLength = length < 0
                && (request.version() == HttpVersion.HTTP_2
                        || request.headers().contains(HttpHeaders.TRANSFER_ENCODING, "chunked", true));
        Body body = length > 0 ? Body.PRESENT : unknownLength ? Body.UNKNOWN : Body.NONE;
        Gatekeeper.Facts facts = new Gatekeeper.Facts(
                request.method().name(),
                credential,
                ticket,
                request.getHeader(Gatekeeper.ACCOUNT_HEADER),
                request.getHeader(HttpHeaders.CONTENT_TYPE),
                request.getHeader(HttpHeaders.CONTENT_ENCODING),
                body,
                target.requiredScope(request.method().name()),
                session,
                presented.csrfToken());
        admit(exchange, facts, admission -> admitted(exchange, facts, key));
    }

    /** Admission from the headers (on the event loop when possible); refusals are answered here. */
    private void admit(Exchange exchange, Gatekeeper.Facts facts, Consumer<Admission> next) {
        Future<Admission> verdict = gatekeeper.admitWithoutBlocking(facts);
        if (verdict == null) {
            verdict = vertx.executeBlocking(() -> gatekeeper.admit(facts), false);
        }
        verdict.onComplete(ar -> safely(exchange, () -> {
            if (ar.failed()) {
                exchange.fail(problems, ar.cause());
                return;
            }
            Admission admission = ar.result();
            exchange.admission = admission;
            if (admission.refusal() != null) {
                exchange.refuse(problems, admission.refusal(), admission.headers());
            } else {
                next.accept(admission);
            }
        }));
    }

    /**
     * An admitted request: a WebSocket relayed, piped at once, or its body read first (idempotency,
     * unknown length; a ticket request's body is read and ignored).
     */
    private void admitted(Exchange exchange, Gatekeeper.Facts facts, String key) {
        RouteTable.Kind kind = exchange.target.kind();
        if (kind == RouteTable.Kind.STREAM && WebSocketRelay.isUpgrade(exchange.request())) {
            webSockets.relay(exchange);
            return;
        }
        if (kind == RouteTable.Kind.STREAM_TICKETS && facts.body() == Body.NONE) {
            tickets.issue(exchange);
            return;
        }
        if (key == null
                && facts.body() != Body.UNKNOWN
                && kind != RouteTable.Kind.STREAM_TICKETS
                && !(exchange.jsonApiBody && facts.body() == Body.PRESENT)) {
            forwarder.forward(exchange, null);
            return;
        }
        readBody(exchange)
                .onSuccess(body -> safely(exchange, () -> {
                    exchange.body = body;
                    if (facts.body() == Body.UNKNOWN) {
                        ProblemException refusal =
                                Gatekeeper.checkBody(facts.contentType(), facts.contentEncoding(), body.length() > 0);
                        if (refusal != null) {
                            exchange.refuse(problems, refusal, exchange.rateHeaders());
                            return;
                        }
                    }
                    if (kind == RouteTable.Kind.STREAM_TICKETS) {
                        tickets.issue(exchange);
                        return;
                    }
                    if (exchange.jsonApiBody && body.length() > 0) {
                        try {
                            exchange.body = Buffer.buffer(jsonApi.attributes(
                                    body.getBytes(),
                                    facts.method(),
                                    exchange.request().path()));
                        } catch (ProblemException refusal) {
                            exchange.refuse(problems, refusal, exchange.rateHeaders());
                            return;
                        }
                    }
                    if (key == null) {
                        forwarder.forward(exchange, null);
                        return;
                    }
                    String accountId = exchange.admission.caller().accountId();
                    String fingerprint = IdempotencyService.fingerprint(
                            facts.method(), exchange.request().path(), exchange.body.getBytes());
                    vertx.executeBlocking(() -> idempotency.begin(accountId, key, fingerprint), false)
                            .onComplete(ar -> safely(
                                    exchange,
                                    () -> afterBegin(exchange, key, ar.succeeded() ? ar.result() : null, ar.cause())));
                }));
    }

    private void afterBegin(Exchange exchange, String key, Optional<Record> replay, Throwable failure) {
        if (failure != null) {
            exchange.fail(problems, failure);
        } else if (replay.isPresent()) {
            exchange.replay(replay.get(), jsonApi);
        } else {
            forwarder.forward(
                    exchange, new Forwarder.Recorder(exchange.admission.caller().accountId(), key, idempotency));
        }
    }

    /** Runs a continuation; a failure in it still answers the caller (problem), never leaves it hanging. */
    private void safely(Exchange exchange, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            exchange.fail(problems, e);
        }
    }

    /**
     * Reads the whole body: at most the limit (more: 413) and within the body deadline (slower: 408 and
     * the connection is dropped). The future fails when the request was answered.
     */
    private Future<Buffer> readBody(Exchange exchange) {
        HttpServerRequest request = exchange.request();
        Buffer body = Buffer.buffer();
        Promise<Buffer> promise = Promise.promise();
        long deadline = vertx.setTimer(bodyReadTimeoutMillis, t -> {
            if (promise.tryFail("body too slow")) {
                exchange.refuseAndCut(problems, bodyTimeout(bodyReadTimeoutMillis));
            }
        });
        request.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            if (body.length() + chunk.length() > maxBodyBytes) {
                vertx.cancelTimer(deadline);
                promise.tryFail("too large");
                exchange.refuse(problems, tooLarge(), exchange.rateHeaders());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> {
            vertx.cancelTimer(deadline);
            promise.tryFail(e);
        });
        request.endHandler(v -> {
            vertx.cancelTimer(deadline);
            promise.tryComplete(body);
        });
        continueIfExpected(exchange);
        request.resume();
        return promise.future();
    }

    /** Sends {@code 100 Continue} to a client waiting for it: only once the request is admitted. */
    static void continueIfExpected(Exchange exchange) {
        if (exchange.request().headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)
                && !exchange.response().headWritten()) {
            exchange.response().writeContinue();
        }
    }

    static ProblemException bodyTimeout(long millis) {
        return new ProblemException(
                408,
                "request-timeout",
                "Request timeout",
                "The request body did not arrive within " + Math.max(1, millis / 1000) + " s");
    }

    private static long contentLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("Content-Length is not a number");
        }
    }

    private ProblemException tooLarge() {
        return new ProblemException(
                413,
                "payload-too-large",
                "Payload too large",
                "Request bodies may be at most " + maxBodyBytes + " bytes");
    }
}
