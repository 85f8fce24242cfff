package io.cloudnexus.gateway.problem;

import java.util.Map;

/**
 * A request the gateway refuses: the status, a problem kind (the last segment of its type URI), a
 * title, a detail for this request and headers to add (e.g. {@code Retry-After}).
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String kind;
    private final String title;
    private final Map<String, String> headers;

    public ProblemException(int status, String kind, String title, String detail) {
        this(status, kind, title, detail, Map.of());
    }

    public ProblemException(int status, String kind, String title, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.kind = kind;
        this.title = title;
        this.headers = headers;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", "Bad request", detail);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(
                401, "unauthorized", "Missing or invalid credentials", detail, Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Insufficient permissions", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail);
    }

    /** The same refusal with {@code extra} headers added (its own win on a clash). */
    public ProblemException withHeaders(Map<String, String> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new java.util.HashMap<>(extra);
        merged.putAll(headers);
        return new ProblemException(status, kind, title, getMessage(), Map.copyOf(merged));
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Problem toProblem(String instance, String requestId) {
        return new Problem(Problem.TYPE_BASE + kind, title, status, getMessage(), instance, requestId);
    }
}
