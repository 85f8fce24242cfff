package io.cloudnexus.gateway.service;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.gateway.domain.Caller;
import io.cloudnexus.gateway.domain.Credential;
import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.jsonapi.JsonApiMediaType;
import io.cloudnexus.gateway.oauth.AccessTokens;
import io.cloudnexus.gateway.oauth.AccessTokens.AccessToken;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.service.CredentialVerifier.Verified;
import io.cloudnexus.gateway.service.OidcAuthenticator.OidcPrincipal;
import io.vertx.core.Future;

/**
 * Decides whether a /v2 request may pass: credential (401), account header (400/403), rate limit
 * (429), scope (403) and body media type (415). {@code X-CloudNexus-Id} must name the credential's
 * account (else 403); it is required (400) with an OIDC token, which may stand for a person, while an
 * API key belongs to exactly one account, so with a key a missing header means the key's account (the
 * public docs' own curl example sends none). The rate limit is counted as soon as the credential
 * names an account, so every later answer carries the X-RateLimit-* headers. On the stream route a
 * {@link StreamTickets ticket} may stand for the credential (redeemed here, once; it belongs to one
 * account, like a key). An access token the gateway issued itself (OAuth client credentials) is verified
 * locally ({@link AccessTokens}) and, like a key, names one account. Without either, a {@link ConsoleSessions console session} (cookie plus CSRF token)
 * may stand for the API key it was opened with.
 */
@ApplicationScoped
public class Gatekeeper {

    public static final String ACCOUNT_HEADER = "X-CloudNexus-Id";

    /** Whether a request has a body: none, one (Content-Length > 0), or not known before it is read. */
    public enum Body {
        NONE,
        PRESENT,
        UNKNOWN
    }

    /**
     * What the gatekeeper needs to know about a request (all known from its headers and route): the
     * bearer credential, or else a stream ticket, or else a console session cookie with the request's CSRF
     * token; the scope the route needs for the method.
     */
    public record Facts(
            String method,
            String credential,
            String ticket,
            String accountHeader,
            String contentType,
            String contentEncoding,
            Body body,
            String requiredScope,
            String session,
            String csrfToken) {}

    /**
     * The verdict: the caller, the credential it was verified with and its rate-limit state, and the
     * refusal if the request may not pass.
     */
    public record Admission(Caller caller, Credential credential, RateLimiter.Decision rate, ProblemException refusal) {

        public Map<String, String> headers() {
            return rate == null ? Map.of() : rate.headers();
        }
    }

    private final CredentialVerifier verifier;
    private final AccessTokens accessTokens;
    private final OidcAuthenticator oidc;
    private final RateLimiter limiter;
    private final StreamTickets tickets;
    private final ConsoleSessions sessions;

    public Gatekeeper(
            CredentialVerifier verifier,
            AccessTokens accessTokens,
            OidcAuthenticator oidc,
            RateLimiter limiter,
            StreamTickets tickets,
            ConsoleSessions sessions) {
        this.verifier = verifier;
        this.accessTokens = accessTokens;
        this.oidc = oidc;
        this.limiter = limiter;
        this.tickets = tickets;
        this.sessions = sessions;
    }

    /**
     * Admission without blocking the event loop, for an API key in the verified-key cache (the rate
     * limit is counted in memory or asynchronously in Redis); null otherwise: then call {@link #admit}.
     */
    public Future<Admission> admitWithoutBlocking(Facts facts) {
        if (limiter.blocking() || facts.credential() == null || !ApiKeys.looksLikeKey(facts.credential())) {
            return null;
        }
        String hash = ApiKeys.hash(facts.credential());
        Caller caller = verifier.cachedKey(hash);
        if (caller == null) {
            return null;
        }
        Verified verified = new Verified(caller, new Credential.ApiKey(caller.accountId(), hash));
        return limiter.hitAsync(caller.accountId(), caller.rateLimit()).map(rate -> decide(verified, facts, rate));
    }

    /** Full admission; may block (database, OIDC, Redis). */
    public Admission admit(Facts facts) {
        try {
            Verified verified;
            if (facts.credential() == null && facts.ticket() != null) {
                verified = tickets.redeem(facts.ticket())
                        .orElseThrow(() -> ProblemException.unauthorized(
                                "The stream ticket is not valid, was already used or has expired"));
            } else if (facts.credential() == null && facts.session() != null) {
                // a console session stands for the API key it was opened with (its CSRF token checked)
                verified = sessions.authenticate(facts.session(), facts.csrfToken());
            } else {
                verified = authenticate(facts.credential());
            }
            Caller caller = verified.caller();
            return decide(verified, facts, limiter.hit(caller.accountId(), caller.rateLimit()));
        } catch (ProblemException refusal) {
            return new Admission(null, null, null, refusal);
        }
    }

    private Verified authenticate(String credential) {
        if (credential == null || credential.isEmpty()) {
            throw ProblemException.unauthorized("Send Authorization: Bearer <API key or access token>");
        }
        if (ApiKeys.looksLikeKey(credential)) {
            String hash = ApiKeys.hash(credential);
            Caller caller = verifier.verifyKey(hash)
                    .orElseThrow(() -> ProblemException.unauthorized("The API key is not valid or was revoked"));
            return new Verified(caller, new Credential.ApiKey(caller.accountId(), hash));
        }
        if (accessTokens.isOurs(credential)) {
            // an access token of this gateway (OAuth client credentials): verified locally, like a key's account
            AccessToken token = accessTokens.verify(credential);
            Caller caller = verifier.account(token.accountId(), token.scopes())
                    .orElseThrow(() -> ProblemException.unauthorized("The access token's account no longer exists"));
            return new Verified(
                    caller, new Credential.OAuth(caller.accountId(), token.clientId(), token.jti(), token.expiresAt()));
        }
        OidcPrincipal principal = oidc.authenticate(credential);
        if (principal.accountId() == null) {
            throw ProblemException.forbidden("The access token names no CloudNexus account");
        }
        if (!ResourceIds.isValid(ResourceIds.ACCOUNT, principal.accountId())) {
            throw ProblemException.forbidden("The access token names no valid CloudNexus account (acc_...)");
        }
        Caller caller = verifier.account(principal.accountId(), principal.scopes())
                .orElseThrow(() -> ProblemException.forbidden("The access token names an unknown account"));
        return new Verified(
                caller, new Credential.Oidc(caller.accountId(), principal.subject(), principal.expiresAt()));
    }

    private static Admission decide(Verified verified, Facts facts, RateLimiter.Decision rate) {
        Caller caller = verified.caller();
        ProblemException refusal = null;
        boolean noAccountHeader =
                facts.accountHeader() == null || facts.accountHeader().isBlank();
        // an API key, a ticket, a session or an OAuth client's token belongs to exactly one account; an OIDC
        // token may stand for a person
        boolean oneAccount = facts.credential() == null || !(verified.credential() instanceof Credential.Oidc);
        if (noAccountHeader && !oneAccount) {
            refusal = ProblemException.badRequest("The X-CloudNexus-Id header (your account id) is required");
        } else if (!noAccountHeader && !facts.accountHeader().equals(caller.accountId())) {
            refusal = ProblemException.forbidden("X-CloudNexus-Id does not name the account of this credential");
        } else if (!rate.allowed()) {
            Map<String, String> headers = new HashMap<>();
            headers.put("Retry-After", Long.toString(rate.retryAfterSeconds()));
            refusal = new ProblemException(
                    429,
                    "rate-limited",
                    "Too many requests",
                    "The account's limit of " + rate.limit()
                            + " requests per window is used up; retry after the window resets",
                    headers);
        } else if (!Scope.grants(caller.scopes(), facts.requiredScope())) {
            refusal = ProblemException.forbidden("This credential lacks the '" + facts.requiredScope() + "' scope");
        } else if (facts.body() != Body.NONE) {
            refusal = checkBody(facts.contentType(), facts.contentEncoding(), facts.body() == Body.PRESENT);
        }
        return new Admission(caller, verified.credential(), rate, refusal);
    }

    /**
     * The media-type check of a body: 415 unless it is uncompressed {@code application/json} or a JSON:API
     * document ({@code application/vnd.api+json} without parameters other than {@code profile}). For a body
     * of unknown length it runs again once the body is read ({@code hasBody} then says whether it had
     * bytes); null when the body may pass.
     */
    public static ProblemException checkBody(String contentType, String contentEncoding, boolean hasBody) {
        if (contentEncoding != null
                && !contentEncoding.isBlank()
                && !contentEncoding.trim().equalsIgnoreCase("identity")) {
            return new ProblemException(
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "Request bodies must not be compressed (Content-Encoding)");
        }
        if (hasBody && JsonApiMediaType.is(contentType)) {
            return JsonApiMediaType.checkContentType(contentType);
        }
        if (hasBody && !isJson(contentType)) {
            return new ProblemException(
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "Request bodies must be application/json (or " + JsonApiMediaType.MEDIA_TYPE + ")");
        }
        return null;
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }
}
