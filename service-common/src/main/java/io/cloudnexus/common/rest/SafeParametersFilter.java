package io.cloudnexus.common.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.cloudnexus.common.problem.ProblemException;

/**
 * Path and query parameters are strings from outside too: one with a character {@link SafeText} refuses (a NUL
 * cannot even be compared by PostgreSQL) is a 400 naming the parameter, before any resource sees it.
 */
public class SafeParametersFilter {

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        check(request.getUriInfo().getPathParameters(true));
        check(request.getUriInfo().getQueryParameters(true));
    }

    private static void check(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            if (!SafeText.isSafe(p.getKey())) {
                throw ProblemException.invalidField(SafeText.forLog(p.getKey()), SafeText.MESSAGE, null);
            }
            for (String value : p.getValue()) {
                if (!SafeText.isSafe(value)) {
                    throw ProblemException.invalidField(p.getKey(), SafeText.MESSAGE, null);
                }
            }
        }
    }
}
