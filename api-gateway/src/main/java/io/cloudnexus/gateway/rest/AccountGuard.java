package io.cloudnexus.gateway.rest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudnexus.gateway.console.PresentedCredential;
import io.cloudnexus.gateway.domain.Caller;
import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.jsonapi.JsonApiDocuments;
import io.cloudnexus.gateway.jsonapi.JsonApiMediaType;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.service.Gatekeeper;
import io.cloudnexus.gateway.service.Gatekeeper.Admission;
import io.vertx.core.http.HttpServerRequest;

/**
 * Admits a request to one of the gateway's own /v2 REST endpoints (self-service API keys, OAuth clients)
 * exactly like a proxied /v2 request: the {@link Gatekeeper} checks the bearer credential (API key, OAuth
 * access token, OIDC token) or the web console's session (cookie, CSRF token, same Origin), {@code X-CloudNexus-Id}, the account's rate limit and the scope the method
 * needs (read for GET, write otherwise). Refusals are problem details carrying the rate-limit headers.
 */
@ApplicationScoped
public class AccountGuard {

    private final Gatekeeper gatekeeper;
    private final PresentedCredential credentials;
    private final ObjectMapper mapper;
    private final JsonApiDocuments jsonApi;

    public AccountGuard(
            Gatekeeper gatekeeper, PresentedCredential credentials, ObjectMapper mapper, JsonApiDocuments jsonApi) {
        this.gatekeeper = gatekeeper;
        this.credentials = credentials;
        this.mapper = mapper;
        this.jsonApi = jsonApi;
    }

    /**
     * The JSON body of an admitted request to {@code path} as {@code type}: 415 unless {@code application/json}
     * (uncompressed) or a JSON:API document (whose attributes are the body; 400/403/409 as for a proxied one), 400
     * when missing or not valid JSON for it. Read only after {@link #admit}, so an unauthenticated caller gets 401
     * whatever its body.
     */
    public <T> T body(HttpHeaders headers, String raw, String method, String path, Class<T> type) {
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        ProblemException media =
                Gatekeeper.checkBody(contentType, headers.getHeaderString(HttpHeaders.CONTENT_ENCODING), true);
        if (media != null) {
            throw media;
        }
        if (raw == null || raw.isBlank()) {
            throw ProblemException.badRequest("A JSON body is required");
        }
        if (JsonApiMediaType.is(contentType)) {
            raw = new String(
                    jsonApi.attributes(raw.getBytes(StandardCharsets.UTF_8), method, path), StandardCharsets.UTF_8);
        }
        try {
            return mapper.readValue(raw, type);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("The body is not valid JSON for this request");
        }
    }

    /** The admitted request's caller and rate-limit headers. */
    public record Admitted(Caller caller, Map<String, String> rateHeaders) {

        /** {@code builder} with the rate-limit headers. */
        public Response.ResponseBuilder with(Response.ResponseBuilder builder) {
            rateHeaders.forEach(builder::header);
            return builder;
        }

        /** Whether the caller's scopes cover every one of {@code scopes} (admin covers all). */
        public boolean holds(java.util.Collection<String> scopes) {
            return scopes.stream().allMatch(s -> Scope.grants(caller.scopes(), s));
        }

        /**
         * The scopes a new credential ({@code what}: "A key", "A client") may get: {@code requested} validated (400),
         * and no scope the caller lacks itself (403).
         */
        public java.util.Set<String> grantable(String what, List<String> requested) {
            java.util.Set<String> scopes = Inputs.scopes(requested);
            if (!holds(scopes)) {
                throw ProblemException.forbidden(
                        what + " may only get scopes this credential has itself (" + Scope.join(caller.scopes()) + ")");
            }
            return scopes;
        }
    }

    /**
     * Admits the request, else throws its problem. Its credential is read exactly as on a proxied /v2 route
     * ({@link PresentedCredential}): a bearer credential, else the console's session cookie with its CSRF token
     * (Origin checked). Blocking (database, OIDC, Redis).
     */
    public Admitted admit(HttpServerRequest request) {
        PresentedCredential.Presented presented = credentials.of(request, true);
        String method = request.method().name();
        Admission admission = gatekeeper.admit(new Gatekeeper.Facts(
                method,
                presented.bearer(),
                null,
                request.getHeader(Gatekeeper.ACCOUNT_HEADER),
                null,
                null,
                Gatekeeper.Body.NONE,
                Scope.required(method),
                presented.session(),
                presented.csrfToken()));
        if (admission.refusal() != null) {
            throw admission.refusal().withHeaders(admission.headers());
        }
        return new Admitted(admission.caller(), admission.headers());
    }
}
