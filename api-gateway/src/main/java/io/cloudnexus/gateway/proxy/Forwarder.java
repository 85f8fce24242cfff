package io.cloudnexus.gateway.proxy;

import java.net.ConnectException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.jsonapi.JsonApiDocuments;
import io.cloudnexus.gateway.jsonapi.JsonApiMediaType;
import io.cloudnexus.gateway.jsonapi.JsonApiMediaType.Representation;
import io.cloudnexus.gateway.problem.LogSafe;
import io.cloudnexus.gateway.problem.Problem;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.problem.ProblemWriter;
import io.cloudnexus.gateway.problem.RequestIds;
import io.cloudnexus.gateway.service.IdempotencyService;
import io.cloudnexus.gateway.service.IdentityTokenMinter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

/**
 * Sends an admitted request to its service with the Vert.x client: only the {@link #FORWARDED} client
 * headers, the identity token as {@code Authorization}, {@code X-Request-Id} set, the body piped (or the
 * buffered bytes sent) as is, the response piped back. A service that cannot be reached is 503 (with
 * Retry-After), one that does not answer in time 504; a 5xx without problem details is replaced by
 * problem details. A piped body that does not arrive within the body deadline is 408.
 *
 * <p>An idempotent POST (with a {@link Recorder}) is settled like this: not connected: the key is freed
 * (the service never saw the request); answered: the answer is stored (a 503 frees the key); no answer
 * within {@code upstream.timeout}: the client gets 504, the key's outcome becomes unknown, and the gateway
 * keeps waiting {@code idempotency.outcome-wait} longer for the answer, which is stored if it comes. A
 * client that goes away does not cancel the request either: its answer is stored for the retry.
 *
 * <p>A request of the {@link RouteTable.Kind#STREAM stream route} (an SSE stream) goes over the stream
 * client, has no deadline (only {@code stream.idle-timeout} of silence ends it), is piped chunk by chunk as
 * it arrives, and is registered in {@link OpenStreams}: when its credential no longer verifies the response
 * is ended.
 */
@ApplicationScoped
public class Forwarder {

    private static final Logger LOG = Logger.getLogger(Forwarder.class);

    /**
     * The client headers a service receives (an allow-list: anything else, e.g. Cookie, X-Forwarded-*,
     * hop-by-hop headers or made-up internal ones, stays at the gateway). Authorization, X-Request-Id and
     * Content-Length are set by the gateway itself.
     */
    static final Set<String> FORWARDED = Set.of(
            "content-type",
            "accept",
            "accept-language",
            "user-agent",
            "idempotency-key",
            "x-cloudnexus-id",
            "if-match",
            "if-none-match",
            "if-modified-since",
            "if-unmodified-since",
            "last-event-id");

    private static final Set<String> NOT_RETURNED = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "x-request-id",
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset");

    /** Stores the first response of an idempotent POST. */
    public record Recorder(String accountId, String key, IdempotencyService idempotency) {}

    /** Whether the client has its answer (all callbacks of one exchange run on its event loop). */
    private static final class Progress {
        boolean answered;
    }

    private final Vertx vertx;
    private final UpstreamClient client;
    private final IdentityTokenMinter tokens;
    private final ProblemWriter problems;
    private final GatewayMetrics metrics;
    private final OpenStreams streams;
    private final JsonApiDocuments jsonApi;
    private final long timeoutMillis;
    private final long streamIdleMillis;
    private final long outcomeWaitMillis;
    private final long bodyReadTimeoutMillis;
    private final long retryAfterSeconds;

    public Forwarder(
            Vertx vertx,
            UpstreamClient client,
            IdentityTokenMinter tokens,
            ProblemWriter problems,
            GatewayMetrics metrics,
            OpenStreams streams,
            JsonApiDocuments jsonApi,
            GatewayConfig config) {
        this.vertx = vertx;
        this.client = client;
        this.tokens = tokens;
        this.problems = problems;
        this.metrics = metrics;
        this.streams = streams;
        this.jsonApi = jsonApi;
        this.timeoutMillis = config.upstream().timeout().toMillis();
        this.streamIdleMillis = config.stream().idleTimeout().toMillis();
        this.outcomeWaitMillis = config.idempotency().outcomeWait().toMillis();
        this.bodyReadTimeoutMillis = config.bodyReadTimeout().toMillis();
        this.retryAfterSeconds = Math.max(1, config.upstream().retryAfter().toSeconds());
    }

    void forward(Exchange exchange, Recorder recorder) {
        try {
            send(exchange, recorder);
        } catch (RuntimeException e) {
            abandon(recorder);
            exchange.fail(problems, e);
        }
    }

    /**
     * The headers a service gets for an exchange: as {@link #upstreamHeaders(HttpServerRequest, String, String)}; a
     * JSON:API exchange asks for and sends plain JSON (the gateway translates).
     */
    static MultiMap upstreamHeaders(Exchange exchange, String identityToken) {
        MultiMap headers = upstreamHeaders(exchange.request(), identityToken, exchange.requestId);
        if (exchange.representation == Representation.JSON_API) {
            headers.set(HttpHeaders.ACCEPT, "application/json");
        }
        if (exchange.jsonApiBody) {
            headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        return headers;
    }

    /** The headers a service gets: the allowed client headers, the identity token and the request id. */
    static MultiMap upstreamHeaders(HttpServerRequest in, String identityToken, String requestId) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        in.headers().forEach(h -> {
            if (FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(h.getKey(), h.getValue());
            }
        });
        headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + identityToken);
        headers.set(RequestIds.HEADER, requestId);
        return headers;
    }

    private void send(Exchange exchange, Recorder recorder) {
        HttpServerRequest in = exchange.request();
        RouteTable.Upstream upstream = exchange.target.upstream();
        boolean stream = exchange.target.stream();
        if (stream && streams.full(OpenStreams.Kind.SSE)) {
            exchange.refuse(problems, unavailable(exchange, null), exchange.rateHeaders());
            return;
        }
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setURI(exchange.target.uri())
                // an idempotent POST waits longer for its answer than the client does, to store it; a stream has
                // no deadline, only a limit on silence (the service sends heartbeats)
                .setIdleTimeout(
                        stream
                                ? streamIdleMillis
                                : recorder == null ? timeoutMillis : timeoutMillis + outcomeWaitMillis)
                .setHeaders(upstreamHeaders(exchange, tokens.tokenFor(exchange.admission.caller())));
        long started = System.nanoTime();
        String service = upstream.name();
        Progress progress = new Progress();
        (stream ? client.streams() : client.client()).request(options).onComplete(ar -> {
            if (ar.failed()) {
                metrics.upstream(service, "unreachable", System.nanoTime() - started);
                abandon(recorder);
                progress.answered = true;
                exchange.refuse(problems, failure(exchange, ar.cause()), exchange.rateHeaders());
                return;
            }
            HttpClientRequest out = ar.result();
            if (recorder == null) {
                exchange.response().closeHandler(v -> out.reset());
            } else {
                vertx.setTimer(timeoutMillis, t -> {
                    if (!progress.answered) {
                        progress.answered = true;
                        unknown(recorder);
                        exchange.refuse(problems, outcomeUnknownTimeout(exchange), exchange.rateHeaders());
                    }
                });
            }
            Future<HttpClientResponse> sent;
            if (exchange.body != null) {
                sent = out.send(exchange.body);
            } else if (in.getHeader(HttpHeaders.CONTENT_LENGTH) != null) {
                sent = sendStream(exchange, out, in, progress);
            } else {
                sent = sendEmpty(out, in);
            }
            sent.onComplete(rar -> {
                if (rar.failed()) {
                    metrics.upstream(service, "failed", System.nanoTime() - started);
                    if (recorder != null) {
                        unknown(recorder);
                    }
                    if (!progress.answered) {
                        progress.answered = true;
                        if (exchange.body == null && !in.isEnded()) {
                            // the service waited for a body the client has not finished sending
                            exchange.refuseAndCut(problems, ProxyHandler.bodyTimeout(bodyReadTimeoutMillis));
                        } else {
                            exchange.refuse(problems, failure(exchange, rar.cause()), exchange.rateHeaders());
                        }
                    }
                } else {
                    metrics.upstream(service, "answered", System.nanoTime() - started);
                    relay(exchange, out, rar.result(), recorder, progress);
                }
            });
        });
    }

    /** Pipes a body with a Content-Length; one that has not fully arrived by the body deadline is 408. */
    private Future<HttpClientResponse> sendStream(
            Exchange exchange, HttpClientRequest out, HttpServerRequest in, Progress progress) {
        out.putHeader(HttpHeaders.CONTENT_LENGTH, in.getHeader(HttpHeaders.CONTENT_LENGTH));
        ProxyHandler.continueIfExpected(exchange);
        long deadline = vertx.setTimer(bodyReadTimeoutMillis, t -> {
            if (!in.isEnded() && !progress.answered) {
                progress.answered = true;
                out.reset();
                exchange.refuseAndCut(problems, ProxyHandler.bodyTimeout(bodyReadTimeoutMillis));
            }
        });
        Future<HttpClientResponse> sent = out.send(in);
        sent.onComplete(r -> vertx.cancelTimer(deadline));
        return sent;
    }

    /** No body: let the (paused) request finish, so the connection can serve the next one. */
    private static Future<HttpClientResponse> sendEmpty(HttpClientRequest out, HttpServerRequest in) {
        in.resume();
        return out.send();
    }

    private void relay(
            Exchange exchange,
            HttpClientRequest out,
            HttpClientResponse upstream,
            Recorder recorder,
            Progress progress) {
        int status = upstream.statusCode();
        String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
        ProblemException problem =
                replacement(exchange, status, contentType, upstream.getHeader(HttpHeaders.RETRY_AFTER));
        if (problem != null) {
            upstream.body();
            if (recorder == null) {
                answer(exchange, progress, problem);
                return;
            }
            byte[] bytes = problems.bytes(problem.toProblem(exchange.request().path(), exchange.requestId));
            store(exchange, recorder, status, Problem.MEDIA_TYPE, null, bytes)
                    .onComplete(v -> answer(exchange, progress, problem));
            return;
        }
        boolean translate = exchange.representation == Representation.JSON_API;
        if (recorder != null || translate) {
            // read whole: to store it (an idempotent POST's first answer, kept as the service sent it) or to
            // translate it into a JSON:API document
            upstream.body().onComplete(body -> {
                if (body.failed()) {
                    if (recorder != null) {
                        unknown(recorder);
                    }
                    if (!progress.answered) {
                        progress.answered = true;
                        exchange.response().reset();
                    }
                    return;
                }
                byte[] bytes = body.result().getBytes();
                Future<Void> stored = recorder == null
                        ? Future.succeededFuture()
                        : store(
                                exchange,
                                recorder,
                                status,
                                contentType,
                                upstream.getHeader(HttpHeaders.LOCATION),
                                bytes);
                stored.onComplete(v -> {
                    if (!progress.answered && !exchange.response().closed()) {
                        progress.answered = true;
                        HttpServerResponse response = copyHead(exchange, status, upstream.headers());
                        byte[] document = translate
                                ? jsonApi.document(
                                        contentType,
                                        bytes,
                                        exchange.request().path(),
                                        exchange.request().query())
                                : null;
                        if (document == null) {
                            response.end(Buffer.buffer(bytes));
                        } else {
                            response.headers().remove(HttpHeaders.CONTENT_LENGTH);
                            response.putHeader(HttpHeaders.CONTENT_TYPE, JsonApiMediaType.MEDIA_TYPE);
                            response.end(Buffer.buffer(document));
                        }
                    }
                });
            });
            return;
        }
        progress.answered = true;
        HttpServerResponse response = copyHead(exchange, status, upstream.headers());
        if (upstream.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            response.setChunked(true);
        }
        OpenStreams.Stream open = exchange.target.stream() && status < 300 ? openStream(exchange, out) : null;
        // the pipe writes (and flushes) each chunk as it arrives: a stream's events are never held back. A
        // service response that breaks off resets the client's (never ended as if it were complete)
        upstream.pipe().endOnFailure(false).to(response).onComplete(piped -> {
            if (open != null) {
                open.close();
            }
            if (piped.failed() && !response.ended()) {
                response.reset();
            }
        });
    }

    /**
     * Registers an SSE stream; when its credential no longer verifies, the response is ended (the client
     * sees the stream end) and the service's request reset. A client that leaves resets it too.
     */
    private OpenStreams.Stream openStream(Exchange exchange, HttpClientRequest out) {
        HttpServerResponse response = exchange.response();
        OpenStreams.Stream open = streams.open(OpenStreams.Kind.SSE, exchange.admission.credential(), () -> {
            LOG.debugf("Ending SSE stream (request %s): credential no longer valid", exchange.requestId);
            if (!response.ended() && !response.closed()) {
                response.end();
            }
            out.reset();
        });
        response.closeHandler(v -> {
            open.close();
            out.reset();
        });
        LOG.debugf(
                "SSE stream open (request %s, account %s): %s",
                exchange.requestId,
                exchange.admission.caller().accountId(),
                LogSafe.uri(exchange.request().uri()));
        return open;
    }

    /**
     * The problem that replaces a service's answer: a 5xx without problem details (503 keeps or adds
     * Retry-After); null when the answer passes through as it is.
     */
    ProblemException replacement(Exchange exchange, int status, String contentType, String retryAfter) {
        if (status >= 500 && (contentType == null || !contentType.startsWith(Problem.MEDIA_TYPE))) {
            return serviceError(exchange, status, retryAfter);
        }
        return null;
    }

    /** Sets a service's status and headers on the client's response (hop-by-hop and rate headers are the gateway's). */
    static HttpServerResponse copyHead(Exchange exchange, int status, MultiMap headers) {
        HttpServerResponse response = exchange.response();
        response.setStatusCode(status);
        headers.forEach(h -> {
            if (!NOT_RETURNED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                response.headers().add(h.getKey(), h.getValue());
            }
        });
        response.putHeader(RequestIds.HEADER, exchange.requestId);
        // the representation depends on Accept (JSON or JSON:API)
        response.headers().add(HttpHeaders.VARY, "Accept");
        exchange.rateHeaders().forEach(response::putHeader);
        return response;
    }

    private void answer(Exchange exchange, Progress progress, ProblemException problem) {
        if (!progress.answered) {
            progress.answered = true;
            exchange.refuse(problems, problem, exchange.rateHeaders());
        }
    }

    /** Stores the answer of an idempotent POST (a 503 frees the key); a store failure is logged. */
    private Future<Void> store(
            Exchange exchange, Recorder recorder, int status, String contentType, String location, byte[] bytes) {
        return vertx.executeBlocking(
                        () -> {
                            recorder.idempotency()
                                    .complete(
                                            recorder.accountId(), recorder.key(), status, contentType, location, bytes);
                            return (Void) null;
                        },
                        false)
                .recover(e -> {
                    // the row stays in flight: retries are 409, then "outcome unknown" until it expires (never a
                    // duplicate)
                    LOG.warnf(
                            "Could not store the idempotent response (request %s): %s",
                            exchange.requestId, LogSafe.clean(String.valueOf(e.getMessage())));
                    return Future.succeededFuture();
                });
    }

    /** The problem for a service that could not be reached (503), did not answer in time (504) or broke off. */
    ProblemException failure(Exchange exchange, Throwable cause) {
        String kind = cause.getClass().getName();
        if (cause instanceof ConnectException || kind.contains("Connect")) {
            return unavailable(exchange, null);
        }
        if (kind.contains("Timeout")) {
            return new ProblemException(
                    504,
                    "gateway-timeout",
                    "Service timed out",
                    "The " + exchange.target.upstream().name() + " service did not answer in time");
        }
        LOG.debugf("Upstream failure (request %s): %s", exchange.requestId, LogSafe.clean(String.valueOf(cause)));
        String method = exchange.request().method().name();
        if (!"POST".equals(method) && !"PATCH".equals(method)) {
            // the connection to the service broke (it was stopped or killed) before an answer: a method that may
            // be repeated safely (GET, PUT, DELETE...) finds an unavailable service, to be retried
            return unavailable(exchange, null);
        }
        // a POST/PATCH may have taken effect before the service went away: not a 503 (which says "not done"),
        // but retryable all the same (with the same Idempotency-Key, answered 409 until its outcome is known)
        return new ProblemException(
                502,
                "bad-gateway",
                "Bad gateway",
                "The connection to the " + exchange.target.upstream().name() + " service failed before it answered; "
                        + "the request may have taken effect, retry it with the same Idempotency-Key",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    private ProblemException outcomeUnknownTimeout(Exchange exchange) {
        return new ProblemException(
                504,
                "gateway-timeout",
                "Service timed out",
                "The " + exchange.target.upstream().name() + " service did not answer in time; the request may "
                        + "still take effect. A retry with the same Idempotency-Key answers 409 until the outcome is "
                        + "known, then replays it");
    }

    private ProblemException serviceError(Exchange exchange, int status, String retryAfter) {
        String service = exchange.target.upstream().name();
        return switch (status) {
            case 503 -> unavailable(exchange, retryAfter);
            case 504 ->
                new ProblemException(
                        504,
                        "gateway-timeout",
                        "Service timed out",
                        "The " + service + " service did not answer in time");
            default ->
                new ProblemException(
                        status,
                        "service-error",
                        "Service error",
                        "The " + service + " service failed to handle the request; quote the request id to support");
        };
    }

    ProblemException unavailable(Exchange exchange, String retryAfter) {
        String wait =
                retryAfter != null && retryAfter.matches("\\d{1,6}") ? retryAfter : Long.toString(retryAfterSeconds);
        return new ProblemException(
                503,
                "service-unavailable",
                "Service unavailable",
                "The " + exchange.target.upstream().name() + " service is unavailable; retry later",
                Map.of("Retry-After", wait));
    }

    private void abandon(Recorder recorder) {
        if (recorder != null) {
            vertx.executeBlocking(
                    () -> {
                        recorder.idempotency().abandon(recorder.accountId(), recorder.key());
                        return null;
                    },
                    false);
        }
    }

    private void unknown(Recorder recorder) {
        vertx.executeBlocking(
                () -> {
                    recorder.idempotency().unknown(recorder.accountId(), recorder.key());
                    return null;
                },
                false);
    }
}
