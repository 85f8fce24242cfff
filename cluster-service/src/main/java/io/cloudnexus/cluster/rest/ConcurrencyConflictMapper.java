package io.cloudnexus.cluster.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.cloudnexus.common.problem.Problem;
import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.common.problem.RequestIds;
import io.cloudnexus.eventstore.ConcurrencyConflict;

/** A lost optimistic-concurrency race is the caller's 409: the cluster changed meanwhile; reload and retry. */
public class ConcurrencyConflictMapper {

    @ServerExceptionMapper
    public Response conflict(ConcurrencyConflict e, UriInfo uri, HttpHeaders headers) {
        String requestId = RequestIds.of(headers);
        Problem problem = ProblemException.conflict("Cluster '" + e.aggregateId()
                + "' was changed by another request at the same time; fetch it again and retry.")
                .problem().withContext(uri.getPath(), requestId);
        return Response.status(409).type(Problem.MEDIA_TYPE).header(RequestIds.HEADER, requestId).entity(problem)
                .build();
    }
}
