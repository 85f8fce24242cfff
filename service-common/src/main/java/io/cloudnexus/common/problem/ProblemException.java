package io.cloudnexus.common.problem;

import java.util.List;

/** Thrown by services to answer with a specific problem; mapped by {@link ProblemExceptionMappers}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.problem = new Problem(Problem.TYPE_BASE + slug, title, status, detail, null, null, errors);
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException badRequest(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(400, "invalid-request", "Invalid request", detail, errors);
    }

    public static ProblemException invalidField(String field, String message, List<String> validValues) {
        return badRequest(
                "Invalid value for '" + field + "': " + message,
                List.of(new Problem.FieldError(field, message, validValues)));
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", "Unauthorized", detail, null);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail, null);
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "not-found", "Not found", what + " '" + id + "' does not exist.", null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail, null);
    }
}
