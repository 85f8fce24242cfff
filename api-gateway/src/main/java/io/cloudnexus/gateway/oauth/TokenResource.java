package io.cloudnexus.gateway.oauth;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudnexus.gateway.domain.Scope;
import io.vertx.core.http.HttpServerRequest;

/**
 * The token endpoint (RFC 6749 §4.4, client credentials only) and the revocation endpoint (RFC 7009). Clients
 * authenticate with {@code client_secret_basic} or {@code client_secret_post}; failed authentications are
 * throttled per client id and per source address ({@link ClientAuthThrottle}). Errors: {@link OAuthError}.
 * Also the signing keys (JWK Set, RFC 7517) at {@code /v2/oauth/jwks}.
 */
@Path("/v2/oauth")
@Tag(name = "OAuth", description = "OAuth 2.0 client credentials for machine clients")
public class TokenResource {

    static final String CLIENT_CREDENTIALS = "client_credentials";

    private final OAuthClients clients;
    private final AccessTokens tokens;
    private final RevocationList revocations;
    private final ClientAuthThrottle throttle;
    private final OAuthConfig config;
    private final SigningKeys keys;

    public TokenResource(
            OAuthClients clients,
            AccessTokens tokens,
            RevocationList revocations,
            ClientAuthThrottle throttle,
            OAuthConfig config,
            SigningKeys keys) {
        this.clients = clients;
        this.tokens = tokens;
        this.revocations = revocations;
        this.throttle = throttle;
        this.config = config;
        this.keys = keys;
    }

    @POST
    @Path("/token")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Get an access token (client credentials grant)")
    public Response token(
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest http,
            String body) {
        ClientRequest request = ClientRequest.parse(contentType, authorization, body);
        String grant = request.form().get("grant_type");
        if (grant == null || grant.isEmpty()) {
            throw OAuthError.invalidRequest("grant_type is required");
        }
        if (!grant.equals(CLIENT_CREDENTIALS)) {
            throw new OAuthError(
                    400, "unsupported_grant_type", "Only grant_type=client_credentials is supported", Map.of());
        }
        OAuthClient client = authenticate(request, http);
        Set<String> granted = Scope.parse(client.scopes);
        Set<String> scopes = requestedScopes(request.form().get("scope"), granted);
        String token = tokens.issue(client.accountId, client.id, scopes);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", token);
        answer.put("token_type", "Bearer");
        answer.put("expires_in", config.tokenLifetime().toSeconds());
        answer.put("scope", Scope.join(scopes));
        return Response.ok(answer)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .build();
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revoke an access token (RFC 7009)")
    public Response revoke(
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest http,
            String body)
            throws SQLException {
        ClientRequest request = ClientRequest.parse(contentType, authorization, body);
        String token = request.form().get("token");
        if (token == null || token.isEmpty()) {
            throw OAuthError.invalidRequest("token is required");
        }
        OAuthClient client = authenticate(request, http);
        // RFC 7009 §2.2: 200 also for a token that is invalid, expired or not this client's (nothing to do)
        Optional<AccessTokens.AccessToken> verified = tokens.verified(token, false);
        if (verified.isPresent() && verified.get().clientId().equals(client.id)) {
            revocations.revoke(
                    verified.get().jti(), "token", verified.get().expiresAt().plus(config.clockSkew()));
        }
        return Response.ok().header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/jwks")
    @Produces({"application/jwk-set+json", MediaType.APPLICATION_JSON})
    @Operation(summary = "The keys access tokens are signed with (JWK Set)")
    public Response jwks() {
        return Response.ok(keys.jwks().getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/jwk-set+json")
                .header("Cache-Control", "max-age=60")
                .build();
    }

    private OAuthClient authenticate(ClientRequest request, HttpServerRequest http) {
        String address =
                http.remoteAddress() == null ? "unknown" : http.remoteAddress().host();
        long wait = throttle.retryAfterSeconds(request.clientId(), address);
        if (wait > 0) {
            throw new OAuthError(
                    429,
                    "temporarily_unavailable",
                    "Too many failed client authentications; retry after " + wait + " s",
                    Map.of("Retry-After", Long.toString(wait)));
        }
        if (request.clientId() == null || request.clientSecret() == null) {
            throttle.failed(request.clientId(), address);
            throw OAuthError.invalidClient(request.basic());
        }
        return clients.authenticate(request.clientId(), request.clientSecret()).orElseThrow(() -> {
            throttle.failed(request.clientId(), address);
            return OAuthError.invalidClient(request.basic());
        });
    }

    /** The scopes asked for (space-separated; absent: all the client's), each one the client has; else invalid_scope. */
    private static Set<String> requestedScopes(String scope, Set<String> granted) {
        if (scope == null || scope.isBlank()) {
            return granted;
        }
        Set<String> requested = new LinkedHashSet<>();
        for (String s : scope.trim().split(" +")) {
            if (!Scope.ALL.contains(s) || !Scope.grants(granted, s)) {
                throw new OAuthError(
                        400,
                        "invalid_scope",
                        "The requested scope must be a subset of the client's scopes (" + Scope.join(granted) + ")",
                        Map.of());
            }
            requested.add(s);
        }
        return Set.copyOf(requested);
    }
}
