package io.cloudnexus.webhook.delivery;

import java.time.Instant;

/**
 * What one HTTP attempt produced.
 *
 * @param statusCode the response status, or 0 when no response arrived
 * @param errorClass null on a response; else {@code timeout}, {@code connection_error}, {@code refused_address},
 *                   {@code dns_error}
 * @param excerpt    the start of the response body (capped)
 * @param retryAfter the {@code Retry-After} header, if any
 */
public record AttemptResult(Instant at, int statusCode, long latencyMs, String errorClass, String excerpt,
        String retryAfter) {

    public boolean success() {
        return statusCode >= 200 && statusCode < 300;
    }

    public static AttemptResult error(Instant at, long latencyMs, String errorClass, String message) {
        return new AttemptResult(at, 0, latencyMs, errorClass, message, null);
    }
}
