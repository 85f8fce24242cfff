package io.cloudnexus.gateway.oauth;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * An error of the token or revocation endpoint in the format of RFC 6749 §5.2 ({@code {"error",
 * "error_description"}}, {@code Cache-Control: no-store}), not problem details: OAuth client libraries parse
 * this format. {@code invalid_client} is 401 (with {@code WWW-Authenticate: Basic} when the client tried HTTP
 * Basic authentication), too many failed authentications 429 with {@code Retry-After}, the rest 400.
 */
public class OAuthError extends RuntimeException {

    private final int status;
    private final String error;
    private final Map<String, String> headers;

    public OAuthError(int status, String error, String description, Map<String, String> headers) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.headers = headers;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description, Map.of());
    }

    public static OAuthError invalidClient(boolean basic) {
        return new OAuthError(
                401,
                "invalid_client",
                "Client authentication failed (unknown client, wrong secret or deleted client)",
                basic ? Map.of("WWW-Authenticate", "Basic realm=\"cloudnexus\", charset=\"UTF-8\"") : Map.of());
    }

    public Response toResponse() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", getMessage());
        Response.ResponseBuilder builder = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .entity(body);
        headers.forEach(builder::header);
        return builder.build();
    }

    /** Answers an {@link OAuthError} in its own format. */
    public static class Mapper {
        @ServerExceptionMapper
        public Response map(OAuthError e) {
            return e.toResponse();
        }
    }
}
