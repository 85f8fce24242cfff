package io.cloudnexus.gateway.oauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Authorization server metadata (RFC 8414) at {@value #METADATA_PATH}: endpoint URLs are the configured issuer
 * plus their paths; the keys (JWK Set) are served by {@link TokenResource} at {@value #JWKS_PATH}.
 */
@Path("/")
@Tag(name = "OAuth", description = "OAuth 2.0 client credentials for machine clients")
public class MetadataResource {

    public static final String METADATA_PATH = "/.well-known/oauth-authorization-server";
    public static final String TOKEN_PATH = "/v2/oauth/token";
    public static final String REVOKE_PATH = "/v2/oauth/revoke";
    public static final String JWKS_PATH = "/v2/oauth/jwks";

    private final OAuthConfig config;

    public MetadataResource(OAuthConfig config) {
        this.config = config;
    }

    @GET
    @Path(METADATA_PATH)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "OAuth authorization server metadata (RFC 8414)")
    public Response metadata() {
        String issuer = config.issuer();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("token_endpoint", issuer + TOKEN_PATH);
        metadata.put("jwks_uri", issuer + JWKS_PATH);
        metadata.put("revocation_endpoint", issuer + REVOKE_PATH);
        metadata.put("grant_types_supported", List.of(TokenResource.CLIENT_CREDENTIALS));
        metadata.put("response_types_supported", List.of());
        metadata.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        metadata.put(
                "revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        metadata.put("scopes_supported", List.of("read", "write", "admin"));
        metadata.put("service_documentation", issuer + "/q/swagger-ui");
        return Response.ok(metadata).header("Cache-Control", "max-age=300").build();
    }
}
