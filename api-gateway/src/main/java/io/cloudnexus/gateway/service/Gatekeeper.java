package io.cloudnexus.gateway.service;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.gateway.domain.Caller;
import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.service.OidcAuthenticator.OidcPrincipal;
import io.vertx.core.Future;

/**
 * Decides whether a /v2 request may pass: credential (401), account header (400/403), rate limit
 * (429), scope (403) and body media type (415). {@code X-CloudNexus-Id} must name the credential's
 * account (else 403); it is required (400) with an OIDC token, which may stand for a person, while an
 * API key belongs to exactly one account, so with a key a missing header means the key's account (the
 * public docs' own curl example sends none). The rate limit is counted as soon as the credential
 * names an account, so every later answer carries the X-RateLimit-* headers.
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

    /** What the gatekeeper needs to know about a request (all known from its headers). */
    public record Facts(
            String method,
            String credential,
            String accountHeader,
            String contentType,
            String contentEncoding,
            Body body) {}

    /** The verdict: the caller and its rate-limit state, and the refusal if the request may not pass. */
    public record Admission(Caller caller, RateLimiter.Decision rate, ProblemException refusal) {

        public Map<String, String> headers() {
            return rate == null ? Map.of() : rate.headers();
        }
    }

    private final CredentialVerifier verifier;
    private final OidcAuthenticator oidc;
    private final RateLimiter limiter;

    public Gatekeeper(CredentialVerifier verifier, OidcAuthenticator oidc, RateLimiter limiter) {
        this.verifier = verifier;
        this.oidc = oidc;
        this.limiter = limiter;
    }

    /**
     * Admission without blocking the event loop, for an API key in the verified-key cache (the rate
     * limit is counted in memory or asynchronously in Redis); null otherwise: then call {@link #admit}.
     */
    public Future<Admission> admitWithoutBlocking(Facts facts) {
        if (limiter.blocking() || !ApiKeys.looksLikeKey(facts.credential())) {
            return null;
        }
        Caller caller = verifier.cachedKey(ApiKeys.hash(facts.credential()));
        if (caller == null) {
            return null;
        }
        return limiter.hitAsync(caller.accountId(), caller.rateLimit()).map(rate -> decide(caller, facts, rate));
    }

    /** Full admission; may block (database, OIDC, Redis). */
    public Admission admit(Facts facts) {
        try {
            Caller caller = authenticate(facts.credential());
            return decide(caller, facts, limiter.hit(caller.accountId(), caller.rateLimit()));
        } catch (ProblemException refusal) {
            return new Admission(null, null, refusal);
        }
    }

    private Caller authenticate(String credential) {
        if (credential == null || credential.isEmpty()) {
            throw ProblemException.unauthorized("Send Authorization: Bearer <API key or access token>");
        }
        if (ApiKeys.looksLikeKey(credential)) {
            return verifier.verifyKey(ApiKeys.hash(credential))
                    .orElseThrow(() -> ProblemException.unauthorized("The API key is not valid or was revoked"));
        }
        OidcPrincipal principal = oidc.authenticate(credential);
        if (principal.accountId() == null) {
            throw ProblemException.forbidden("The access token names no CloudNexus account");
        }
        if (!ResourceIds.isValid(ResourceIds.ACCOUNT, principal.accountId())) {
            throw ProblemException.forbidden("The access token names no valid CloudNexus account (acc_...)");
        }
        return verifier.account(principal.accountId(), principal.scopes())
                .orElseThrow(() -> ProblemException.forbidden("The access token names an unknown account"));
    }

    private static Admission decide(Caller caller, Facts facts, RateLimiter.Decision rate) {
        ProblemException refusal = null;
        boolean noAccountHeader =
                facts.accountHeader() == null || facts.accountHeader().isBlank();
        if (noAccountHeader && !ApiKeys.looksLikeKey(facts.credential())) {
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
        } else if (!Scope.allows(caller.scopes(), facts.method())) {
            refusal = ProblemException.forbidden(
                    "This credential lacks the '" + Scope.required(facts.method()) + "' scope");
        } else if (facts.body() != Body.NONE) {
            refusal = checkBody(facts.contentType(), facts.contentEncoding(), facts.body() == Body.PRESENT);
        }
        return new Admission(caller, rate, refusal);
    }

    /**
     * The media-type check of a body: 415 unless it is uncompressed {@code application/json}. For a body
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
        if (hasBody && !isJson(contentType)) {
            return new ProblemException(
                    415, "unsupported-media-type", "Unsupported media type", "Request bodies must be application/json");
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
