package io.cloudnexus.gateway.console;

import java.time.temporal.ChronoUnit;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.problem.ProblemWriter;
import io.cloudnexus.gateway.problem.RequestIds;
import io.cloudnexus.gateway.service.ConsoleSessions;
import io.cloudnexus.gateway.service.ConsoleSessions.Session;
import io.cloudnexus.gateway.service.SignInThrottle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /console/session}: {@code POST} exchanges an API key ({@code {"api_key":"cn_live_sk_..."}}, at
 * most {@link #MAX_BODY_BYTES}) for a session cookie and its CSRF token; {@code GET} shows the session;
 * {@code DELETE} (cookie and CSRF token) ends it and clears the cookie. Every answer is {@code no-store}
 * with the console's security headers; an {@code Origin}, when sent, must be the gateway's own (else 403).
 * Failed sign-ins are throttled per source address ({@link SignInThrottle}: 429). A successful sign-in
 * with a session cookie already set ends that session (the browser holds one at a time).
 */
@ApplicationScoped
public class SessionHandler {

    public static final String PATH = "/console/session";
    static final int MAX_BODY_BYTES = 4096;

    private final Vertx vertx;
    private final ConsoleSessions sessions;
    private final SignInThrottle throttle;
    private final SameOrigin origins;
    private final ProblemWriter problems;
    private final ObjectMapper mapper;
    private final long bodyReadTimeoutMillis;

    public SessionHandler(
            Vertx vertx,
            ConsoleSessions sessions,
            SignInThrottle throttle,
            SameOrigin origins,
            ProblemWriter problems,
            ObjectMapper mapper,
            GatewayConfig config) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.throttle = throttle;
        this.origins = origins;
        this.problems = problems;
        this.mapper = mapper;
        this.bodyReadTimeoutMillis = config.bodyReadTimeout().toMillis();
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        String requestId = RequestIds.sanitize(request.getHeader(RequestIds.HEADER));
        ConsoleHeaders.apply(ctx.response(), ConsoleHeaders.NO_STORE);
        ctx.response().putHeader(RequestIds.HEADER, requestId);
        try {
            origins.check(request);
            HttpMethod method = request.method();
            if (method == HttpMethod.POST) {
                signIn(ctx, requestId);
            } else if (method == HttpMethod.GET) {
                request.resume(); // a body is ignored
                String cookie = cookie(request);
                blocking(ctx, requestId, () -> sessions.current(cookie), session -> {
                    if (session.isEmpty()) {
                        throw ProblemException.unauthorized("No console session; sign in with an API key");
                    }
                    json(ctx.response(), session.get());
                });
            } else if (method == HttpMethod.DELETE) {
                request.resume(); // a body is ignored
                String cookie = cookie(request);
                String csrf = request.getHeader(ConsoleSessions.CSRF_HEADER);
                blocking(
                        ctx,
                        requestId,
                        () -> {
                            sessions.close(cookie, csrf);
                            return Boolean.TRUE;
                        },
                        closed -> {
                            clearCookie(ctx);
                            ctx.response().setStatusCode(204).end();
                        });
            } else {
                throw new ProblemException(
                        405,
                        "method-not-allowed",
                        "Method not allowed",
                        PATH + " serves GET, POST and DELETE",
                        Map.of("Allow", "GET, POST, DELETE"));
            }
        } catch (ProblemException refusal) {
            refuse(ctx, requestId, refusal);
        }
    }

    private void signIn(RoutingContext ctx, String requestId) {
        HttpServerRequest request = ctx.request();
        String address = request.remoteAddress() == null
                ? "unknown"
                : request.remoteAddress().host();
        long wait = throttle.retryAfterSeconds(address);
        if (wait > 0) {
            throw new ProblemException(
                    429,
                    "rate-limited",
                    "Too many requests",
                    "Too many failed sign-ins from this address; retry later",
                    Map.of("Retry-After", Long.toString(wait)));
        }
        // the session this browser had, if any, is replaced by the new one
        String previous = cookie(request);
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (!isJson(contentType)) {
            throw new ProblemException(
                    415, "unsupported-media-type", "Unsupported media type", "The body must be application/json");
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !length.isBlank()) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("Content-Length is not a number");
            }
        }
        Buffer body = Buffer.buffer();
        boolean[] done = {false};
        long timer = vertx.setTimer(bodyReadTimeoutMillis, t -> {
            if (!done[0]) {
                done[0] = true;
                refuse(
                        ctx,
                        requestId,
                        new ProblemException(
                                408, "request-timeout", "Request timeout", "The body did not arrive in time"));
                request.connection().close();
            }
        });
        request.handler(chunk -> {
            if (done[0]) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                done[0] = true;
                vertx.cancelTimer(timer);
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                refuse(ctx, requestId, tooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> {
            done[0] = true;
            vertx.cancelTimer(timer);
        });
        request.endHandler(v -> {
            vertx.cancelTimer(timer);
            if (done[0]) {
                return;
            }
            done[0] = true;
            try {
                String apiKey = apiKey(body);
                blocking(
                        ctx,
                        requestId,
                        () -> {
                            try {
                                ConsoleSessions.Opened opened = sessions.open(apiKey);
                                if (previous != null) {
                                    sessions.discard(previous);
                                }
                                return opened;
                            } catch (ProblemException refusal) {
                                if (refusal.status() == 401) {
                                    throttle.failed(address);
                                }
                                throw refusal;
                            }
                        },
                        opened -> {
                            ctx.response().putHeader(HttpHeaders.SET_COOKIE, cookieHeader(ctx, opened.cookie(), false));
                            json(ctx.response(), opened.session());
                        });
            } catch (ProblemException refusal) {
                refuse(ctx, requestId, refusal);
            }
        });
        request.resume();
    }

    /** The {@code api_key} of a sign-in body: 400 unless it is a JSON object with that string member. */
    private String apiKey(Buffer body) {
        JsonNode root;
        try {
            root = mapper.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("The body is not valid JSON; send {\"api_key\": \"cn_live_sk_...\"}");
        }
        JsonNode key = root == null || !root.isObject() ? null : root.get("api_key");
        if (key == null || !key.isTextual() || key.asText().isBlank()) {
            throw ProblemException.badRequest("Send {\"api_key\": \"cn_live_sk_...\"}");
        }
        return key.asText().trim();
    }

    private interface Work<T> {
        T run();
    }

    private interface Answer<T> {
        void send(T result);
    }

    /** Runs {@code work} on a worker thread, then {@code answer} on the event loop; refusals as problems. */
    private <T> void blocking(RoutingContext ctx, String requestId, Work<T> work, Answer<T> answer) {
        vertx.executeBlocking(work::run, false).onComplete(ar -> {
            try {
                if (ar.failed()) {
                    throw ar.cause() instanceof ProblemException refusal
                            ? refusal
                            : problems.failure(
                                    ar.cause(),
                                    requestId,
                                    ctx.request().method().name(),
                                    PATH);
                }
                answer.send(ar.result());
            } catch (ProblemException refusal) {
                refuse(ctx, requestId, refusal);
            } catch (RuntimeException e) {
                refuse(
                        ctx,
                        requestId,
                        problems.failure(e, requestId, ctx.request().method().name(), PATH));
            }
        });
    }

    private void refuse(RoutingContext ctx, String requestId, ProblemException refusal) {
        if (refusal.status() == 401 && ctx.request().method() != HttpMethod.POST && cookie(ctx.request()) != null) {
            clearCookie(ctx);
        }
        problems.write(ctx.response(), refusal, PATH, requestId, Map.of());
        if (!ctx.request().isEnded()) {
            ctx.request().handler(null);
            ctx.request().resume();
        }
    }

    private void json(HttpServerResponse response, Session session) {
        response.setStatusCode(200);
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        response.end(new JsonObject()
                .put("account_id", session.accountId())
                .put("key_prefix", session.keyPrefix())
                .put("scopes", new JsonArray(session.scopes().stream().sorted().toList()))
                .put("tier", session.tier())
                .put("csrf_token", session.csrfToken())
                .put(
                        "expires_at",
                        session.expiresAt().truncatedTo(ChronoUnit.MILLIS).toString())
                .encode());
    }

    private void clearCookie(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.SET_COOKIE, cookieHeader(ctx, "", true));
    }

    /** {@code cn_console=...; Path=/; HttpOnly; SameSite=Strict[; Secure]}, or one that deletes it. */
    private String cookieHeader(RoutingContext ctx, String value, boolean clear) {
        return ConsoleSessions.COOKIE + "=" + value + "; Path=/" + (clear ? "; Max-Age=0" : "")
                + "; HttpOnly; SameSite=Strict" + (origins.secureCookie(ctx.request()) ? "; Secure" : "");
    }

    /** The session cookie's value, or null. */
    public static String cookie(HttpServerRequest request) {
        Cookie cookie = request.getCookie(ConsoleSessions.COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }

    private static ProblemException tooLarge() {
        return new ProblemException(
                413,
                "payload-too-large",
                "Payload too large",
                "A sign-in body may be at most " + MAX_BODY_BYTES + " bytes");
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }
}
