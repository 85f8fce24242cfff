package io.cloudnexus.eventstore.outbox;

import io.cloudnexus.eventstore.tracing.TraceAttributes;
import io.cloudnexus.eventstore.tracing.TraceParent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

/**
 * The relay's part of a trace: one {@code PRODUCER} span "{@code <topic> publish}" per row, child of the appending
 * request's span when the row has a {@code traceparent} (else the root of a new trace: an event appended by a
 * background job, e.g. the provisioner), ended when the broker acknowledged (or refused) the record; the record's
 * {@code traceparent} header names this span. With tracing off there is no tracer: no span, and a row's stored
 * traceparent (if any) is passed on as it is.
 */
final class RelayTracing {

    static final String INSTRUMENTATION = "io.cloudnexus.outbox";
    private static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");

    /** No tracer: rows keep their stored traceparent as the header, no span is made. */
    static final RelayTracing OFF = new RelayTracing(null);

    private final Tracer tracer;

    RelayTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The publish span of {@code row}, or null when there is no tracer. */
    Span start(String topic, OutboxRecords.Row row) {
        if (tracer == null) {
            return null;
        }
        return tracer.spanBuilder(topic + " publish")
                .setParent(TraceParent.parent(row.traceparent()))
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(DESTINATION, topic)
                .setAttribute(OPERATION, "publish")
                .setAttribute(TraceAttributes.EVENT_ID, row.eventId())
                .setAttribute(TraceAttributes.EVENT_TYPE, row.type())
                .setAttribute(TraceAttributes.ACCOUNT_ID, row.accountId())
                .setAttribute(TraceAttributes.SUBJECT, row.aggregateId())
                .startSpan();
    }

    /** The record's traceparent header: the publish span when it is recorded, else the row's own (or null). */
    static String header(Span span, OutboxRecords.Row row) {
        String own = span == null ? null : TraceParent.of(span.getSpanContext());
        return own != null ? own : row.traceparent();
    }

    static void end(Span span, Throwable failure) {
        if (span == null) {
            return;
        }
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        }
        span.end();
    }
}
