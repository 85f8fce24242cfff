package io.cloudnexus.webhook.delivery;

import java.time.Instant;

import io.cloudnexus.common.text.StorableText;

/**
 * What one HTTP attempt produced. Every string in it may quote the receiver (status line, headers, body,
 * an exception message about them), so the canonical constructor makes each one storable
 * ({@link StorableText}: no NUL or other control characters, no lone surrogates, capped): no
 * {@code AttemptResult} can carry a string PostgreSQL refuses.
 *
 * @param statusCode the response status, or 0 when no response arrived
 * @param errorClass null on a response; else {@code timeout}, {@code connection_error}, {@code refused_address},
 *                   {@code dns_error}, {@code internal_error} (at most {@value #MAX_ERROR_CLASS_CHARS} chars)
 * @param excerpt    the start of the response body (capped by the sender), or the error message (at most
 *                   {@value #MAX_EXCERPT_CHARS} chars whatever the sender does)
 * @param retryAfter the {@code Retry-After} header, if any (one line, at most {@value #MAX_RETRY_AFTER_CHARS} chars)
 */
public record AttemptResult(
        Instant at, int statusCode, long latencyMs, String errorClass, String excerpt, String retryAfter) {

    /** Upper bound of {@link #errorClass()}. */
    public static final int MAX_ERROR_CLASS_CHARS = 64;
    /** Upper bound of {@link #excerpt()} (the configured {@code response-excerpt-bytes} is normally far lower). */
    public static final int MAX_EXCERPT_CHARS = 16_384;
    /** Upper bound of {@link #retryAfter()} (an HTTP date is 29 chars). */
    public static final int MAX_RETRY_AFTER_CHARS = 128;

    public AttemptResult {
        errorClass = StorableText.line(errorClass, MAX_ERROR_CLASS_CHARS);
        excerpt = StorableText.of(excerpt, MAX_EXCERPT_CHARS);
        retryAfter = StorableText.line(retryAfter, MAX_RETRY_AFTER_CHARS);
    }

    public boolean success() {
        return statusCode >= 200 && statusCode < 300;
    }

    public static AttemptResult error(Instant at, long latencyMs, String errorClass, String message) {
        return new AttemptResult(at, 0, latencyMs, errorClass, message, null);
    }
}
