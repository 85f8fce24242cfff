package io.cloudnexus.gateway.proxy;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.problem.LogSafe;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.problem.RequestIds;
import io.cloudnexus.gateway.service.IdentityTokenMinter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Calls a service on behalf of the platform operator (the admin API's operator routes), with a fresh
 * operator identity token ({@code sub} and {@code groups} {@value IdentityTokenMinter#OPERATOR}). Blocking
 * (admin API worker threads). Unreachable: 503 with Retry-After; no answer in time: 504.
 */
@ApplicationScoped
public class OperatorClient {

    private static final Logger LOG = Logger.getLogger(OperatorClient.class);

    /** A service's answer. */
    public record Answer(int status, String contentType, byte[] body) {}

    private final UpstreamClient client;
    private final IdentityTokenMinter tokens;
    private final long timeoutMillis;
    private final long connectTimeoutMillis;
    private final String retryAfter;

    public OperatorClient(UpstreamClient client, IdentityTokenMinter tokens, GatewayConfig config) {
        this.client = client;
        this.tokens = tokens;
        this.timeoutMillis = config.upstream().timeout().toMillis();
        this.connectTimeoutMillis = config.upstream().connectTimeout().toMillis();
        this.retryAfter =
                Long.toString(Math.max(1, config.upstream().retryAfter().toSeconds()));
    }

    /** POSTs {@code json} to {@code path} of {@code upstream} as the operator. */
    public Answer post(RouteTable.Upstream upstream, String path, byte[] json, String requestId) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setURI(upstream.basePath() + path)
                .setIdleTimeout(timeoutMillis)
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.operatorToken())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(RequestIds.HEADER, requestId);
        try {
            return client.client()
                    .request(options)
                    .compose(request -> request.send(Buffer.buffer(json)))
                    .compose(response -> response.body()
                            .map(body -> new Answer(
                                    response.statusCode(),
                                    response.getHeader(HttpHeaders.CONTENT_TYPE),
                                    body.getBytes())))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(connectTimeoutMillis + timeoutMillis + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(upstream);
        } catch (TimeoutException e) {
            throw timedOut(upstream);
        } catch (ExecutionException e) {
            String kind = e.getCause().getClass().getName();
            if (kind.contains("Timeout")) {
                throw timedOut(upstream);
            }
            if (!kind.contains("Connect")) {
                LOG.debugf(
                        "Operator call failed (request %s): %s",
                        requestId, LogSafe.clean(String.valueOf(e.getCause())));
            }
            throw unavailable(upstream);
        }
    }

    /** The problem for a service's 5xx without problem details (its body is never shown). */
    public ProblemException serviceFailure(RouteTable.Upstream upstream, int status) {
        if (status == 503) {
            return unavailable(upstream);
        }
        return new ProblemException(
                status == 504 ? 504 : 502,
                "service-error",
                "Service error",
                "The " + upstream.name() + " service failed to handle the request; quote the request id to support");
    }

    private ProblemException unavailable(RouteTable.Upstream upstream) {
        return new ProblemException(
                503,
                "service-unavailable",
                "Service unavailable",
                "The " + upstream.name() + " service is unavailable; retry later",
                Map.of("Retry-After", retryAfter));
    }

    private static ProblemException timedOut(RouteTable.Upstream upstream) {
        return new ProblemException(
                504,
                "gateway-timeout",
                "Service timed out",
                "The " + upstream.name() + " service did not answer in time");
    }
}
