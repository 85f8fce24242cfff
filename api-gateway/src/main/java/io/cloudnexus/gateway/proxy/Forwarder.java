package io.cloudnexus.gateway.proxy;

import java.net.ConnectException;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.problem.Problem;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.problem.ProblemWriter;
import io.cloudnexus.gateway.problem.RequestIds;
import io.cloudnexus.gateway.service.IdempotencyService;
import io.cloudnexus.gateway.service.IdentityTokenMinter;
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
 * Sends an admitted request to its service with the Vert.x client: the caller's credential replaced
 * by the identity token, {@code X-Request-Id} set, the body piped (or the buffered bytes sent) as is,
 * the response piped back. A service that cannot be reached is 503 (with Retry-After), one that does
 * not answer in time 504; a 5xx without problem details is replaced by problem details.
 */
@ApplicationScoped
public class Forwarder {

    private static final Logger LOG = Logger.getLogger(Forwarder.class);

    /** Headers that are per connection, or that the gateway sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "authorization", "connection", "keep-alive",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "expect",
            "x-request-id", "content-length");
    private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "x-request-id",
            "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset");

    /** Stores the first response of an idempotent POST. */
    public record Recorder(String accountId, String key, IdempotencyService idempotency) {
    }

    private final Vertx vertx;
    private final UpstreamClient client;
    private final IdentityTokenMinter tokens;
    private final ProblemWriter problems;
    private final GatewayMetrics metrics;
    private final long timeoutMillis;
    private final long retryAfterSeconds;

    public Forwarder(Vertx vertx, UpstreamClient client, IdentityTokenMinter tokens, ProblemWriter problems,
            GatewayMetrics metrics, GatewayConfig config) {
        this.vertx = vertx;
        this.client = client;
        this.tokens = tokens;
        this.problems = problems;
        this.metrics = metrics;
        this.timeoutMillis = config.upstream().timeout().toMillis();
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

    private void send(Exchange exchange, Recorder recorder) {
        HttpServerRequest in = exchange.request();
        RouteTable.Upstream upstream = exchange.target.upstream();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setURI(exchange.target.uri())
                .setIdleTimeout(timeoutMillis);
        MultiMap headers = options.getHeaders() == null ? MultiMap.caseInsensitiveMultiMap() : options.getHeaders();
        in.headers().forEach(h -> {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                headers.add(h.getKey(), h.getValue());
            }
        });
        headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.tokenFor(exchange.admission.caller()));
        headers.set(RequestIds.HEADER, exchange.requestId);
        options.setHeaders(headers);
        long started = System.nanoTime();
        String service = upstream.name();
        client.client().request(options).onComplete(ar -> {
            if (ar.failed()) {
                metrics.upstream(service, "unreachable", System.nanoTime() - started);
                unreachable(exchange, recorder, ar.cause());
                return;
            }
            HttpClientRequest out = ar.result();
            exchange.response().closeHandler(v -> out.reset());
            var sent = exchange.body != null ? out.send(exchange.body)
                    : in.getHeader(HttpHeaders.CONTENT_LENGTH) != null ? sendStream(out, in) : sendEmpty(out, in);
            sent.onComplete(rar -> {
                if (rar.failed()) {
                    metrics.upstream(service, "failed", System.nanoTime() - started);
                    unreachable(exchange, recorder, rar.cause());
                } else {
                    metrics.upstream(service, "answered", System.nanoTime() - started);
                    relay(exchange, rar.result(), recorder);
                }
            });
        });
    }

    private static io.vertx.core.Future<HttpClientResponse> sendStream(HttpClientRequest out, HttpServerRequest in) {
        out.putHeader(HttpHeaders.CONTENT_LENGTH, in.getHeader(HttpHeaders.CONTENT_LENGTH));
        return out.send(in);
    }

    /** No body: let the (paused) request finish, so the connection can serve the next one. */
    private static io.vertx.core.Future<HttpClientResponse> sendEmpty(HttpClientRequest out, HttpServerRequest in) {
        in.resume();
        return out.send();
    }

    private void relay(Exchange exchange, HttpClientResponse upstream, Recorder recorder) {
        int status = upstream.statusCode();
        String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
        if (status >= 500 && (contentType == null || !contentType.startsWith(Problem.MEDIA_TYPE))) {
            upstream.body();
            String retryAfter = upstream.getHeader(HttpHeaders.RETRY_AFTER);
            abandon(recorder);
            exchange.refuse(problems, serviceError(exchange, status, retryAfter), exchange.rateHeaders());
            return;
        }
        HttpServerResponse response = exchange.response();
        response.setStatusCode(status);
        upstream.headers().forEach(h -> {
            if (!NOT_RETURNED.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                response.headers().add(h.getKey(), h.getValue());
            }
        });
        response.putHeader(RequestIds.HEADER, exchange.requestId);
        exchange.rateHeaders().forEach(response::putHeader);
        if (recorder != null) {
            upstream.body().onComplete(body -> {
                if (body.failed()) {
                    abandon(recorder);
                    response.reset();
                    return;
                }
                byte[] bytes = body.result().getBytes();
                vertx.executeBlocking(() -> {
                    recorder.idempotency().complete(recorder.accountId(), recorder.key(), status, contentType,
                            upstream.getHeader(HttpHeaders.LOCATION), bytes);
                    return null;
                }, false).onComplete(stored -> {
                    if (stored.failed()) {
                        LOG.warnf(stored.cause(), "Could not store the idempotent response (request %s)",
                                exchange.requestId);
                    }
                    response.end(Buffer.buffer(bytes));
                });
            });
            return;
        }
        if (upstream.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            response.setChunked(true);
        }
        upstream.pipeTo(response).onFailure(e -> {
            if (!response.ended()) {
                response.reset();
            }
        });
    }

    private void unreachable(Exchange exchange, Recorder recorder, Throwable cause) {
        abandon(recorder);
        String kind = cause.getClass().getName();
        ProblemException problem;
        if (cause instanceof ConnectException || kind.contains("Connect")) {
            problem = unavailable(exchange, null);
        } else if (kind.contains("Timeout")) {
            problem = new ProblemException(504, "gateway-timeout", "Service timed out",
                    "The " + exchange.target.upstream().name() + " service did not answer in time");
        } else {
            LOG.debugf("Upstream failure (request %s): %s", exchange.requestId, cause);
            problem = new ProblemException(502, "bad-gateway", "Bad gateway",
                    "The connection to the " + exchange.target.upstream().name() + " service failed");
        }
        exchange.refuse(problems, problem, exchange.rateHeaders());
    }

    private ProblemException serviceError(Exchange exchange, int status, String retryAfter) {
        String service = exchange.target.upstream().name();
        return switch (status) {
            case 503 -> unavailable(exchange, retryAfter);
            case 504 -> new ProblemException(504, "gateway-timeout", "Service timed out",
                    "The " + service + " service did not answer in time");
            default -> new ProblemException(status, "service-error", "Service error",
                    "The " + service + " service failed to handle the request; quote the request id to support");
        };
    }

    private ProblemException unavailable(Exchange exchange, String retryAfter) {
        String wait = retryAfter != null && retryAfter.matches("\\d{1,6}") ? retryAfter : Long.toString(retryAfterSeconds);
        return new ProblemException(503, "service-unavailable", "Service unavailable",
                "The " + exchange.target.upstream().name() + " service is unavailable; retry later",
                Map.of("Retry-After", wait));
    }

    private void abandon(Recorder recorder) {
        if (recorder != null) {
            vertx.executeBlocking(() -> {
                recorder.idempotency().abandon(recorder.accountId(), recorder.key());
                return null;
            }, false);
        }
    }
}
