package io.cloudnexus.gateway.proxy;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.problem.ProblemWriter;
import io.cloudnexus.gateway.problem.RequestIds;
import io.cloudnexus.gateway.repository.IdempotencyRepository.Record;
import io.cloudnexus.gateway.service.Gatekeeper;
import io.cloudnexus.gateway.service.Gatekeeper.Admission;
import io.cloudnexus.gateway.service.IdempotencyService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * The /v2 entry: resolves the route, checks size, credential, account, scope, media type and rate
 * limit (through the {@link Gatekeeper}), applies Idempotency-Key, then hands the request to the
 * {@link Forwarder}. Work that needs I/O (a key not in the cache, OIDC, Redis, the idempotency table)
 * runs on a worker thread; a cached key with in-memory limits is admitted on the event loop.
 */
@ApplicationScoped
public class ProxyHandler {

    private static final Logger LOG = Logger.getLogger(ProxyHandler.class);

    private final Vertx vertx;
    private final RouteTable routes;
    private final Gatekeeper gatekeeper;
    private final IdempotencyService idempotency;
    private final Forwarder forwarder;
    private final ProblemWriter problems;
    private final GatewayMetrics metrics;
    private final int maxBodyBytes;

    public ProxyHandler(Vertx vertx, RouteTable routes, Gatekeeper gatekeeper, IdempotencyService idempotency,
            Forwarder forwarder, ProblemWriter problems, GatewayMetrics metrics, GatewayConfig config) {
        this.vertx = vertx;
        this.routes = routes;
        this.gatekeeper = gatekeeper;
        this.idempotency = idempotency;
        this.forwarder = forwarder;
        this.problems = problems;
        this.metrics = metrics;
        this.maxBodyBytes = config.maxBodyBytes();
    }

    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        Exchange exchange = new Exchange(ctx, RequestIds.sanitize(request.getHeader(RequestIds.HEADER)));
        ctx.response().endHandler(v -> metrics.answered(
                exchange.target == null ? "none" : exchange.target.upstream().name(), ctx.response().getStatusCode()));
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
                ? authorization.substring(7).trim() : null;
        if (credential == null || credential.isEmpty()) {
            throw ProblemException.unauthorized("Send Authorization: Bearer <API key or access token>");
        }
        String key = request.method() == HttpMethod.POST ? request.getHeader(IdempotencyService.HEADER) : null;
        if (key != null) {
            IdempotencyService.validateKey(key);
        }
        // Without a Content-Length (chunked HTTP/1.1, or HTTP/2) the size is only known once read.
        boolean unknownLength = length < 0 && (request.version() == HttpVersion.HTTP_2
                || request.headers().contains(HttpHeaders.TRANSFER_ENCODING, "chunked", true));
        if (key == null && !unknownLength) {
            admit(exchange, facts(request, credential, length > 0), null);
            return;
        }
        readBody(exchange).onSuccess(body -> safely(exchange, () -> {
            exchange.body = body;
            admit(exchange, facts(request, credential, body.length() > 0), key);
        }));
    }

    private static Gatekeeper.Facts facts(HttpServerRequest request, String credential, boolean hasBody) {
        return new Gatekeeper.Facts(request.method().name(), credential, request.getHeader(Gatekeeper.ACCOUNT_HEADER),
                request.getHeader(HttpHeaders.CONTENT_TYPE), hasBody);
    }

    /** Admission (on the event loop when possible), then forwarding; with a key, through the idempotency store. */
    private void admit(Exchange exchange, Gatekeeper.Facts facts, String key) {
        if (key != null) {
            vertx.executeBlocking(() -> admitIdempotent(exchange, facts, key), false)
                    .onComplete(ar -> safely(exchange, () -> afterIdempotentAdmission(exchange, key,
                            ar.succeeded() ? ar.result() : null, ar.cause())));
            return;
        }
        Future<Admission> fast = gatekeeper.admitWithoutBlocking(facts);
        if (fast != null) {
            fast.onComplete(ar -> safely(exchange, () -> {
                if (ar.failed()) {
                    exchange.fail(problems, ar.cause());
                } else {
                    proceed(exchange, ar.result());
                }
            }));
            return;
        }
        vertx.executeBlocking(() -> gatekeeper.admit(facts), false).onComplete(ar -> safely(exchange, () -> {
            if (ar.failed()) {
                exchange.fail(problems, ar.cause());
            } else {
                proceed(exchange, ar.result());
            }
        }));
    }

    private void proceed(Exchange exchange, Admission admission) {
        exchange.admission = admission;
        if (admission.refusal() != null) {
            exchange.refuse(problems, admission.refusal(), admission.headers());
            return;
        }
        forwarder.forward(exchange, null);
    }

    /** Runs a continuation; a failure in it still answers the caller (500 problem), never leaves it hanging. */
    private void safely(Exchange exchange, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            exchange.fail(problems, e);
        }
    }

    /** Worker thread: admission, then the idempotency record. */
    private Optional<Record> admitIdempotent(Exchange exchange, Gatekeeper.Facts facts, String key) {
        Admission admission = gatekeeper.admit(facts);
        exchange.admission = admission;
        if (admission.refusal() != null) {
            return Optional.empty();
        }
        String fingerprint = IdempotencyService.fingerprint(facts.method(), exchange.request().path(),
                exchange.body.getBytes());
        try {
            return idempotency.begin(admission.caller().accountId(), key, fingerprint);
        } catch (ProblemException refusal) {
            exchange.admission = new Admission(admission.caller(), admission.rate(), refusal);
            return Optional.empty();
        }
    }

    private void afterIdempotentAdmission(Exchange exchange, String key, Optional<Record> replay, Throwable failure) {
        if (failure != null) {
            exchange.fail(problems, failure);
            return;
        }
        Admission admission = exchange.admission;
        if (admission.refusal() != null) {
            exchange.refuse(problems, admission.refusal(), admission.headers());
        } else if (replay.isPresent()) {
            exchange.replay(replay.get());
        } else {
            forwarder.forward(exchange, new Forwarder.Recorder(admission.caller().accountId(), key, idempotency));
        }
    }

    /** Reads the whole body (at most the limit; more: 413). */
    private Future<Buffer> readBody(Exchange exchange) {
        HttpServerRequest request = exchange.request();
        Buffer body = Buffer.buffer();
        io.vertx.core.Promise<Buffer> promise = io.vertx.core.Promise.promise();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > maxBodyBytes) {
                request.handler(null);
                if (request.version() != HttpVersion.HTTP_2) {
                    exchange.response().putHeader(HttpHeaders.CONNECTION, "close");
                }
                exchange.refuse(problems, tooLarge(), Map.of());
                promise.tryFail("too large");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> promise.tryFail(e));
        request.endHandler(v -> promise.tryComplete(body));
        request.resume();
        return promise.future();
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
        return new ProblemException(413, "payload-too-large", "Payload too large",
                "Request bodies may be at most " + maxBodyBytes + " bytes");
    }

    static void logUnexpected(String requestId, Throwable e) {
        LOG.errorf(e, "Unexpected gateway error (request %s)", requestId);
    }
}
