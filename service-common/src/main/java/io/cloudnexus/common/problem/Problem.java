package io.cloudnexus.common.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}).
 *
 * @param type a URI naming the problem kind
 * @param title short, human-readable summary of the kind
 * @param status the HTTP status
 * @param detail what went wrong for this request
 * @param instance the request path
 * @param requestId the request id (also in {@code X-Request-Id})
 * @param errors per-field violations, for validation problems
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        @JsonProperty("request_id") String requestId,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://docs.cloudnexus.io/problems/";

    /** One invalid field: its JSON path, what is wrong, and where useful the accepted values. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(
            String field,
            String message,
            @JsonProperty("valid_values") List<String> validValues) {
        public FieldError(String field, String message) {
            this(field, message, null);
        }
    }

    public Problem withContext(String instance, String requestId) {
        return new Problem(type, title, status, detail, instance, requestId, errors);
    }
}
