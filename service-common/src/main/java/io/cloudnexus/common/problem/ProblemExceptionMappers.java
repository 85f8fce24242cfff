package io.cloudnexus.common.problem;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.cloudnexus.common.config.ProblemConfig;
import io.cloudnexus.common.identity.IdentityClaims;
import io.cloudnexus.common.json.UnsafeTextException;
import io.cloudnexus.common.rest.SafeText;

/**
 * Turns every failure into RFC 9457 problem details. A client mistake is a 4xx naming what is wrong; a
 * dependency that is unreachable for now (database, Kafka: {@link DependencyOutage}), however it was wrapped, is a
 * 503 with {@code Retry-After} ({@code cloudnexus.problems.unavailable-retry-after}); anything else unexpected is a
 * 500 whose body says only that and carries the request id, never a stack trace (the trace goes to the log, under
 * the same request id). Paths are escaped before they are logged ({@link SafeText#forLog}).
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    private final ProblemConfig config;

    public ProblemExceptionMappers(ProblemConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri, HttpHeaders headers) {
        return respond(e.problem(), uri, headers);
    }

    /**
     * A credential without the scope that the resource method's {@code @RolesAllowed} names: a 403 that names it
     * ({@code admin} covers read and write, so it is named only where it alone is enough).
     */
    @ServerExceptionMapper
    public Response forbidden(
            io.quarkus.security.ForbiddenException e, SimpleResourceInfo resource, UriInfo uri, HttpHeaders headers) {
        return respond(ProblemException.forbidden(scopeNeeded(resource)).problem(), uri, headers);
    }

    static String scopeNeeded(SimpleResourceInfo resource) {
        RolesAllowed roles = resource == null || resource.getMethodName() == null
                ? null
                : rolesOf(resource.getResourceClass(), resource.getMethodName(), resource.parameterTypes());
        if (roles == null || roles.value().length == 0) {
            return "This operation is not allowed with this credential.";
        }
        List<String> named = List.of(roles.value());
        if (named.equals(List.of(IdentityClaims.OPERATOR))) {
            return "This operation is reserved to the platform operator.";
        }
        return "This operation needs the '"
                + String.join(
                        "' or '",
                        named.stream()
                                .filter(r -> !IdentityClaims.OPERATOR.equals(r))
                                .toList()) + "' scope.";
    }

    private static RolesAllowed rolesOf(Class<?> type, String method, Class<?>[] parameters) {
        try {
            RolesAllowed onMethod = type.getMethod(method, parameters).getAnnotation(RolesAllowed.class);
            return onMethod != null ? onMethod : type.getAnnotation(RolesAllowed.class);
        } catch (NoSuchMethodException e) {
            return type.getAnnotation(RolesAllowed.class);
        }
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri, HttpHeaders headers) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldOf(v.getPropertyPath().toString()), v.getMessage()));
        }
        String detail = errors.isEmpty()
                ? "The request is invalid."
                : "Invalid value for '" + errors.get(0).field() + "': "
                        + errors.get(0).message();
        return respond(ProblemException.badRequest(detail, errors).problem(), uri, headers);
    }

    @ServerExceptionMapper({
        JsonProcessingException.class,
        JsonParseException.class,
        MismatchedInputException.class,
        InvalidFormatException.class,
        UnrecognizedPropertyException.class
    })
    public Response json(JsonProcessingException e, UriInfo uri, HttpHeaders headers) {
        ProblemException problem;
        if (e instanceof UnsafeTextException t) {
            problem = ProblemException.invalidField(JsonPaths.of(t.getPath()), SafeText.MESSAGE, null);
        } else if (e instanceof UnrecognizedPropertyException u) {
            problem = ProblemException.invalidField(SafeText.forLog(u.getPropertyName()), "unknown field", null);
        } else if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String field = JsonPaths.of(m.getPath());
            String expected = m.getTargetType() == null ? "another type" : JsonPaths.typeName(m.getTargetType());
            problem = ProblemException.invalidField(field, "expected " + expected, null);
        } else {
            problem = ProblemException.badRequest("The request body is not valid JSON.", null);
        }
        return respond(problem.problem(), uri, headers);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri, headers);
        }
        Response.Status.Family family = Response.Status.Family.familyOf(status);
        if (family != Response.Status.Family.CLIENT_ERROR) {
            return e.getResponse();
        }
        String reason = Response.Status.fromStatusCode(status) == null
                ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String slug = reason.toLowerCase().replace(' ', '-');
        String detail = status == 404 ? "No resource at " + uri.getPath() + "." : reason + ".";
        Problem problem = new Problem(Problem.TYPE_BASE + slug, reason, status, detail, null, null, null);
        return respond(problem, uri, headers);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri, HttpHeaders headers) {
        String requestId = RequestIds.of(headers);
        if (DependencyOutage.isCause(e)) {
            return unavailable(e, uri, headers, requestId);
        }
        LOG.errorf(e, "Unexpected failure on %s (request id %s)", SafeText.forLog(uri.getPath()), requestId);
        Problem problem = new Problem(
                Problem.TYPE_BASE + "internal-error",
                "Internal error",
                500,
                "The request could not be completed; quote the request id when contacting support.",
                null,
                null,
                null);
        return respond(problem, uri, headers);
    }

    private Response unavailable(Throwable e, UriInfo uri, HttpHeaders headers, String requestId) {
        long seconds = retryAfterSeconds(config.unavailableRetryAfter());
        LOG.warnf(
                "A dependency is unavailable on %s (request id %s), answered 503: %s",
                SafeText.forLog(uri.getPath()), requestId, SafeText.forLog(rootCause(e)));
        Problem problem = new Problem(
                Problem.TYPE_BASE + "service-unavailable",
                "Service unavailable",
                503,
                "A dependency of this service is unavailable for a moment; retry after " + seconds + " s.",
                null,
                null,
                null);
        return Response.fromResponse(respond(problem, uri, headers))
                .header("Retry-After", Long.toString(seconds))
                .build();
    }

    /** Whole seconds, rounded up, at least 1 (Retry-After has no fractions). */
    static long retryAfterSeconds(java.time.Duration retryAfter) {
        long millis = Math.max(0, retryAfter.toMillis());
        return Math.max(1, (millis + 999) / 1000);
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        for (int i = 0; i < 64 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        return root.getClass().getName() + ": " + root.getMessage();
    }

    static Response respond(Problem problem, UriInfo uri, HttpHeaders headers) {
        String requestId = RequestIds.of(headers);
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .header(RequestIds.HEADER, requestId)
                .entity(problem.withContext(uri.getPath(), requestId))
                .build();
    }

    /** "create.arg0.region" -> "region": the last segment of a bean-validation property path. */
    static String fieldOf(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }
}
