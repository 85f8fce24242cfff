package io.cloudnexus.common.problem;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Echoes the request id on every response a service produces. */
public class RequestIdFilter {

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        if (!response.getHeaders().containsKey(RequestIds.HEADER)) {
            response.getHeaders()
                    .putSingle(RequestIds.HEADER, RequestIds.sanitize(request.getHeaderString(RequestIds.HEADER)));
        }
    }
}
