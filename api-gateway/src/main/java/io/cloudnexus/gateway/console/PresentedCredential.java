package io.cloudnexus.gateway.console;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.service.ConsoleSessions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * What a /v2 request presents to authenticate, read the same way for proxied routes ({@code ProxyHandler}) and
 * the gateway's own /v2 endpoints ({@code AccountGuard}): the {@code Authorization: Bearer} credential, else (when
 * the route admits one, and only without an {@code Authorization} header) the console session cookie ({@code
 * cn_console}) with the request's {@code X-CSRF-Token}. A request presenting a session must come from the
 * gateway's own origin ({@link SameOrigin}: 403 for another {@code Origin}); the session and its CSRF token are
 * checked by the {@code Gatekeeper}.
 */
@ApplicationScoped
public class PresentedCredential {

    /**
     * A request's authentication material: whether it had an {@code Authorization} header, its bearer credential
     * (null unless {@code Bearer <non-empty>}), the session cookie and the CSRF header sent with it (both null
     * when no session stands for the credential).
     */
    public record Presented(boolean authorization, String bearer, String session, String csrfToken) {}

    private final SameOrigin origins;

    public PresentedCredential(SameOrigin origins) {
        this.origins = origins;
    }

    /**
     * The request's credential; {@code sessionAllowed} says whether the route admits a console session at all
     * (not the stream itself: a WebSocket upgrade cannot carry the CSRF header). 403 for a session request from
     * another origin.
     */
    public Presented of(HttpServerRequest request, boolean sessionAllowed) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
        if (bearer != null && bearer.isEmpty()) {
            bearer = null;
        }
        String session = authorization == null && sessionAllowed ? SessionHandler.cookie(request) : null;
        if (session != null) {
            origins.check(request);
        }
        return new Presented(
                authorization != null,
                bearer,
                session,
                session == null ? null : request.getHeader(ConsoleSessions.CSRF_HEADER));
    }
}
