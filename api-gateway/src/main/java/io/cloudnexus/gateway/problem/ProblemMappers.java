package io.cloudnexus.gateway.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Turns every error of the gateway's own REST endpoints (admin API) into problem details. */
public class ProblemMappers {

    private final Failures failures;

    public ProblemMappers(Failures failures) {
        this.failures = failures;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri, HttpHeaders headers) {
        return build(e, uri, headers);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri, HttpHeaders headers) {
        return build(ProblemException.badRequest("The body is not valid JSON for this request"), uri, headers);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri, headers);
        }
        String reason = Response.Status.fromStatusCode(status) == null
                ? "Client error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return build(
                new ProblemException(
                        status,
                        reason.toLowerCase().replace(' ', '-'),
                        reason,
                        e.getMessage() == null ? reason : e.getMessage()),
                uri,
                headers);
    }

    /** 503 with Retry-After when the gateway's database is unavailable, else 500 (logged, never shown). */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri, HttpHeaders headers) {
        String requestId = RequestIds.sanitize(headers.getHeaderString(RequestIds.HEADER));
        return build(failures.toProblem(e, requestId, "admin", uri.getPath()), uri, headers);
    }

    /** Echoes the request id on every response of the REST endpoints. */
    @ServerResponseFilter
    public void requestId(ContainerRequestContext request, ContainerResponseContext response) {
        if (!response.getHeaders().containsKey(RequestIds.HEADER)) {
            response.getHeaders()
                    .putSingle(RequestIds.HEADER, RequestIds.sanitize(request.getHeaderString(RequestIds.HEADER)));
        }
    }

    private static Response build(ProblemException e, UriInfo uri, HttpHeaders headers) {
        String requestId = RequestIds.sanitize(headers.getHeaderString(RequestIds.HEADER));
        Response.ResponseBuilder builder = Response.status(e.status())
                .type(Problem.MEDIA_TYPE)
                .header(RequestIds.HEADER, requestId)
                .entity(e.toProblem(uri.getPath(), requestId));
        e.headers().forEach(builder::header);
        return builder.build();
    }
}
