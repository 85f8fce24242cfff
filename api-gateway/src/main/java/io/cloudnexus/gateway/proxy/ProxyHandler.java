package io.cloudnexus.gateway.proxy;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.problem.ProblemWriter;
import io.cloudnexus.gateway.problem.RequestIds;
import io.cloudnexus.gateway.repository.IdempotencyRepository.Record;
import io.cloudnexus.gateway.service.Gatekeeper;
import io.cloudnexus.gateway.service.Gatekeeper.Admission;
import io.cloudnexus.gateway.service.Gatekeeper.Body;
import io.cloudnexus.gateway.service.IdempotencyService;
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
 * sent only at that point. Work that needs I/O (a key not in the cache, OIDC, the idempotency table) runs
 * on a worker thread; a cached key is admitted on the event loop.
 */
@ApplicationScoped
public class ProxyHandler {

    private final Vertx vertx;
    private final RouteTable routes;
    private final Gatekeeper gatekeeper;
    private final IdempotencyService idempotency;
    private final Forwarder forwarder;
    private final ProblemWriter problems;
    private final GatewayMetrics metrics;
    private final int maxBodyBytes;
    private final long bodyReadTimeoutMillis;

    public ProxyHandler(
            Vertx vertx,
            RouteTable routes,
            Gatekeeper gatekeeper,
            IdempotencyService idempotency,
            Forwarder forwarder,
            ProblemWriter problems,
            GatewayMetrics metrics,
            GatewayConfig config) {
        this.vertx = vertx;
        this.routes = routes;
        this.gatekeeper = gatekeeper;
        this.idempotency = idempotency;
        this.forwarder = forwarder;
        this.problems = problems;
        this.metrics = metrics;
        this.maxBodyBytes = config.maxBodyBytes();
        this.bodyReadTimeoutMillis = config.bodyReadTimeout().toMillis();
    }

    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        Exchange exchange = new Exchange(
                ctx, RequestIds.sanitize(request.getHeader(RequestIds.HEADER)), maxBodyBytes, bodyReadTimeoutMillis);
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
        exchange.target = routes.resolve(request.path(), request.query());
        if (exchange.target == null) {
            throw ProblemException.notFound("No API route " + request.path());
        }
        long length = contentLength(request);
        if (length > maxBodyBytes) {
            throw tooLarge();
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String credential = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
        if (credential == null || credential.isEmpty()) {
            throw ProblemException.unauthorized("Send Authorization: Bearer <API key or access token>");
        }
        String key = request.method() == HttpMethod.POST ? request.getHeader(IdempotencyService.HEADER) : null;
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
                request.getHeader(Gatekeeper.ACCOUNT_HEADER),
                request.getHeader(HttpHeaders.CONTENT_TYPE),
                request.getHeader(HttpHeaders.CONTENT_ENCODING),
                body);
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

    /** An admitted request: piped at once, or its body read first (idempotency, unknown length). */
    private void admitted(Exchange exchange, Gatekeeper.Facts facts, String key) {
        if (key == null && facts.body() != Body.UNKNOWN) {
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
                    if (key == null) {
                        forwarder.forward(exchange, null);
                        return;
                    }
                    String accountId = exchange.admission.caller().accountId();
                    String fingerprint = IdempotencyService.fingerprint(
                            facts.method(), exchange.request().path(), body.getBytes());
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
            exchange.replay(replay.get());
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
