package io.cloudnexus.gateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

/**
 * The gateway's part of a trace (docs/tracing.md). The Quarkus OpenTelemetry extension makes the server span of each
 * request and, through the Vert.x tracer, the client span of the proxied request, whose W3C {@code traceparent} the
 * service receives; this adds the request id ({@code req_...}, the one in {@code X-Request-Id} and in problem
 * details) to the server span, so a customer's request id finds the trace.
 *
 * <p>With tracing off the current span is the no-op span and this does nothing.
 */
public final class RequestSpans {

    /** The request id, {@code req_...} (or the caller's own {@code X-Request-Id}). */
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("cloudnexus.request_id");

    private RequestSpans() {}

    /** Tags the current (server) span with the request id. */
    public static void requestId(String requestId) {
        Span span = Span.current();
        if (span.isRecording()) {
            span.setAttribute(REQUEST_ID, requestId);
        }
    }
}
