package io.cloudnexus.webhook.outbound;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.cloudnexus.common.problem.Problem;
import io.cloudnexus.common.problem.RequestIds;

/** {@link ResolverUnavailableException} as a 503 problem with {@code Retry-After} (the URL is checked again then). */
public class ResolverUnavailableMapper {

    /** Seconds a client is asked to wait before sending the same request again. */
    static final int RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response unavailable(ResolverUnavailableException e, UriInfo uri, HttpHeaders headers) {
        String requestId = RequestIds.of(headers);
        Problem problem = new Problem(
                Problem.TYPE_BASE + "dns-unavailable",
                "DNS unavailable",
                503,
                "The endpoint URL could not be checked: " + e.getMessage() + ". Try again later.",
                uri.getPath(),
                requestId,
                null);
        return Response.status(503)
                .type(Problem.MEDIA_TYPE)
                .header(RequestIds.HEADER, requestId)
                .header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
                .entity(problem)
                .build();
    }
}
