package io.cloudnexus.eventstore.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

/**
 * The W3C {@code traceparent} value ({@code 00-<trace id>-<span id>-<flags>}) of a span context, and back: what an
 * outbox row stores so the relay, on another thread and maybe another replica, can continue the trace of the
 * request that appended it, and what travels in the Kafka record headers (header name {@link #HEADER}).
 *
 * <p>With tracing off (the default, {@code quarkus.otel.sdk.disabled=true}) the current span is never valid, so
 * {@link #current()} returns null without allocating: the event store writes NULL and the relay adds no header.
 */
public final class TraceParent {

    /** The W3C Trace Context header, also the Kafka record header name. */
    public static final String HEADER = "traceparent";

    private static final String VERSION = "00";
    private static final int LENGTH = 55; // 2 + 1 + 32 + 1 + 16 + 1 + 2

    private TraceParent() {}

    /** The traceparent of the current span, or null when there is none (tracing off, or outside any trace). */
    public static String current() {
        return of(Span.current().getSpanContext());
    }

    /** The traceparent of {@code context}, or null when it is not valid. */
    public static String of(SpanContext context) {
        if (context == null || !context.isValid()) {
            return null;
        }
        return VERSION + "-" + context.getTraceId() + "-" + context.getSpanId() + "-"
                + context.getTraceFlags().asHex();
    }

    /** A remote span context from a traceparent value; {@link SpanContext#getInvalid()} when it is absent or malformed. */
    public static SpanContext parse(String traceparent) {
        if (traceparent == null
                || traceparent.length() != LENGTH
                || !traceparent.startsWith(VERSION + "-")
                || traceparent.charAt(35) != '-'
                || traceparent.charAt(52) != '-') {
            return SpanContext.getInvalid();
        }
        String traceId = traceparent.substring(3, 35);
        String spanId = traceparent.substring(36, 52);
        String flags = traceparent.substring(53, 55);
        if (!isHex(flags)) {
            return SpanContext.getInvalid();
        }
        // createFromRemoteParent validates the ids (hex, not all zeros) and returns an invalid context otherwise
        return SpanContext.createFromRemoteParent(
                traceId, spanId, TraceFlags.fromHex(flags, 0), TraceState.getDefault());
    }

    /** The parent context for a span continuing {@code traceparent}; the root context when it is absent or malformed. */
    public static Context parent(String traceparent) {
        SpanContext remote = parse(traceparent);
        return remote.isValid() ? Context.root().with(Span.wrap(remote)) : Context.root();
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
