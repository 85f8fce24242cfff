package io.cloudnexus.webhook.stream;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudnexus.common.identity.IdentityClaims;
import io.cloudnexus.common.problem.DependencyOutage;
import io.cloudnexus.common.problem.Problem;
import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.common.problem.RequestIds;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /events/stream}: a WebSocket when the request asks for the upgrade, Server-Sent Events when it
 * accepts {@code text/event-stream} (else 406). The identity token was verified by the HTTP security layer (every
 * path but {@code /q/*} needs one); the stream needs the {@code read} scope. Parameters: {@code types} (filter),
 * {@code since} (resume after that event; an SSE client's {@code Last-Event-ID} does the same). Every refusal
 * (400, 403, 404 unknown {@code since}, 406, 429 over the account's cap, 503 without PostgreSQL) is an RFC 9457
 * problem answered BEFORE the upgrade.
 */
@ApplicationScoped
public class StreamRoute {

    private static final Logger LOG = Logger.getLogger(StreamRoute.class);
    public static final String PATH = "/events/stream";

    private final StreamService service;
    private final WebhookConfig config;
    private final ObjectMapper json;
    private final long unavailableRetryAfter;

    public StreamRoute(
            StreamService service,
            WebhookConfig config,
            ObjectMapper json,
            @ConfigProperty(name = "cloudnexus.problems.unavailable-retry-after", defaultValue = "5s")
                    java.time.Duration unavailableRetryAfter) {
        this.service = service;
        this.config = config;
        this.json = json;
        this.unavailableRetryAfter = Math.max(1, (unavailableRetryAfter.toMillis() + 999) / 1000);
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String requestId = RequestIds.sanitize(request.getHeader(RequestIds.HEADER));
        try {
            if (!config.stream().enabled()) {
                throw new ProblemException(404, "not-found", "Not found", "Event streams are off here.", null);
            }
            SecurityIdentity identity = ctx.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
            if (identity == null
                    || identity.isAnonymous()
                    || !(identity.getPrincipal() instanceof JsonWebToken token)) {
                throw ProblemException.unauthorized("Send the gateway's identity token.");
            }
            String account = token.getSubject();
            if (account == null
                    || IdentityClaims.OPERATOR.equals(account)
                    || identity.getRoles().contains(IdentityClaims.OPERATOR)) {
                throw ProblemException.forbidden("The event stream is an account's; the operator has none.");
            }
            if (!identity.hasRole(IdentityClaims.SCOPE_READ)) {
                throw ProblemException.forbidden("This operation needs the 'read' scope.");
            }
            boolean webSocket = "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
            if (!webSocket && !acceptsEventStream(request.getHeader(HttpHeaders.ACCEPT))) {
                throw new ProblemException(
                        406,
                        "not-acceptable",
                        "Not acceptable",
                        "Open a WebSocket, or send Accept: text/event-stream for Server-Sent Events.",
                        null);
            }
            StreamFilter filter = StreamFilter.parse(request.getParam("types"));
            String since = blankToNull(request.getParam("since"));
            if (since == null && !webSocket) {
                since = blankToNull(request.getHeader("Last-Event-ID"));
            }
            String tier = token.getClaim(IdentityClaims.TIER);
            String resumeFrom = since;
            request.pause();
            Vertx.currentContext()
                    .executeBlocking(() -> service.open(account, tier, filter, resumeFrom), false)
                    .onComplete(ar -> {
                        if (ar.failed()) {
                            request.resume();
                            refuse(ctx, requestId, ar.cause());
                        } else if (webSocket) {
                            upgrade(ctx, ar.result());
                        } else {
                            events(ctx, requestId, ar.result());
                        }
                    });
        } catch (RuntimeException e) {
            refuse(ctx, requestId, e);
        }
    }

    private void upgrade(RoutingContext ctx, StreamService.Opened opened) {
        ctx.request().resume();
        ctx.request()
                .toWebSocket()
                .onSuccess(socket -> bind(opened, new WebSocketTransport(socket, Vertx.currentContext())))
                .onFailure(e -> {
                    LOG.debugf("stream upgrade failed: %s", e.getMessage());
                    opened.session().close(CloseReason.SERVER_ERROR);
                    service.closed(opened.session());
                });
    }

    private void events(RoutingContext ctx, String requestId, StreamService.Opened opened) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("X-Accel-Buffering", "no")
                .putHeader(RequestIds.HEADER, requestId);
        // the head goes out now (a client sees 200 at once), with the reconnect delay a client should use
        response.write("retry: 1000\n\n");
        ctx.request().resume();
        bind(opened, new SseTransport(response, Vertx.currentContext()));
    }

    private void bind(StreamService.Opened opened, StreamTransport transport) {
        opened.session().bind(transport, service::closed);
        service.start(opened);
    }

    private void refuse(RoutingContext ctx, String requestId, Throwable failure) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            ctx.request().connection().close();
            return;
        }
        Problem problem;
        if (failure instanceof ProblemException p) {
            problem = p.problem();
            if (problem.status() == 429) {
                response.putHeader(
                        "Retry-After",
                        Long.toString(Math.max(1, config.stream().heartbeat().toSeconds())));
            }
        } else if (DependencyOutage.isCause(failure) || failure instanceof java.sql.SQLException) {
            LOG.warnf("opening a stream failed: PostgreSQL unavailable (request id %s)", requestId);
            problem = new ProblemException(
                            503,
                            "service-unavailable",
                            "Service unavailable",
                            "A dependency is unavailable; retry shortly.",
                            null)
                    .problem();
            response.putHeader("Retry-After", Long.toString(unavailableRetryAfter));
        } else {
            LOG.errorf(failure, "opening a stream failed (request id %s)", requestId);
            problem = new ProblemException(
                            500, "internal-error", "Internal error", "The stream could not be opened.", null)
                    .problem();
        }
        String body;
        try {
            body = json.writeValueAsString(problem.withContext(ctx.request().path(), requestId));
        } catch (JsonProcessingException e) {
            body = "{}";
        }
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(RequestIds.HEADER, requestId)
                .end(body);
    }

    private static boolean acceptsEventStream(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
