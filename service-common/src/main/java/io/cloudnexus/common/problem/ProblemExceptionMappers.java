package io.cloudnexus.common.problem;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into RFC 9457 problem details. A client mistake is a 4xx naming what is wrong;
 * anything unexpected is a 500 whose body says only that and carries the request id, never a stack
 * trace (the trace goes to the log, under the same request id).
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri, HttpHeaders headers) {
        return respond(e.problem(), uri, headers);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri, HttpHeaders headers) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldOf(v.getPropertyPath().toString()), v.getMessage()));
        }
        String detail = errors.isEmpty() ? "The request is invalid."
                : "Invalid value for '" + errors.get(0).field() + "': " + errors.get(0).message();
        return respond(ProblemException.badRequest(detail, errors).problem(), uri, headers);
    }

    @ServerExceptionMapper({ JsonProcessingException.class, JsonParseException.class, MismatchedInputException.class,
            InvalidFormatException.class, UnrecognizedPropertyException.class })
    public Response json(JsonProcessingException e, UriInfo uri, HttpHeaders headers) {
        ProblemException problem;
        if (e instanceof UnrecognizedPropertyException u) {
            problem = ProblemException.invalidField(u.getPropertyName(), "unknown field", null);
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
        String reason = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String slug = reason.toLowerCase().replace(' ', '-');
        String detail = status == 404 ? "No resource at " + uri.getPath() + "." : reason + ".";
        Problem problem = new Problem(Problem.TYPE_BASE + slug, reason, status, detail, null, null, null);
        return respond(problem, uri, headers);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri, HttpHeaders headers) {
        String requestId = RequestIds.of(headers);
        LOG.errorf(e, "Unexpected failure on %s (request id %s)", uri.getPath(), requestId);
        Problem problem = new Problem(Problem.TYPE_BASE + "internal-error", "Internal error", 500,
                "The request could not be completed; quote the request id when contacting support.",
                null, null, null);
        return respond(problem, uri, headers);
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
