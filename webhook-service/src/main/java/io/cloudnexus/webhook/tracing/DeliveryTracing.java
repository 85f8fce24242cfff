package io.cloudnexus.webhook.tracing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.eventstore.tracing.TraceAttributes;
import io.cloudnexus.eventstore.tracing.TraceParent;
import io.cloudnexus.webhook.delivery.DeliveryTask;
import io.cloudnexus.webhook.delivery.DeliveryUpdate;
import io.cloudnexus.webhook.delivery.Outcome;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * webhook-service's part of a trace (docs/tracing.md): one {@code CONSUMER} span per consumed event ("{@code
 * <topic> ingest}", child of the record's {@code traceparent} header, from the poll until the offsets are committed)
 * and one {@code CLIENT} span per delivery attempt ("{@code webhook attempt}", child of its event's ingest span),
 * with the event, delivery and endpoint ids as attributes. Ids only: never the secret, a signature or the body.
 *
 * <p>With tracing off ({@code quarkus.otel.sdk.disabled=true}, the default) there is no tracer: {@link #ingest} and
 * {@link #attempt} return shared no-op objects, so the hot path allocates nothing for tracing.
 *
 * <p>The attempts find their event's ingest span in a bounded in-memory map (the latest {@value #REMEMBERED} events);
 * an attempt of an older event (a retry hours later, or after a restart) starts its own trace, still carrying the
 * event and delivery ids.
 */
@ApplicationScoped
public class DeliveryTracing {

    static final String INSTRUMENTATION = "io.cloudnexus.webhook";
    static final int REMEMBERED = 10_000;

    public static final AttributeKey<String> DELIVERY_ID = AttributeKey.stringKey("cloudnexus.delivery_id");
    public static final AttributeKey<String> ENDPOINT_ID = AttributeKey.stringKey("cloudnexus.endpoint_id");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("cloudnexus.attempt");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("cloudnexus.outcome");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<Long> LATENCY = AttributeKey.longKey("cloudnexus.latency_ms");
    private static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<Long> PARTITION = AttributeKey.longKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    private final Tracer tracer; // null: tracing off
    private final Map<String, SpanContext> ingested = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SpanContext> eldest) {
            return size() > REMEMBERED;
        }
    };

    @Inject
    public DeliveryTracing(
            OpenTelemetry openTelemetry, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean disabled) {
        this(disabled ? null : openTelemetry.getTracer(INSTRUMENTATION));
    }

    /** @param tracer null: tracing off */
    public DeliveryTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Tracing off: what code built outside CDI passes. */
    public static DeliveryTracing off() {
        return new DeliveryTracing((Tracer) null);
    }

    public boolean enabled() {
        return tracer != null;
    }

    /** Starts one ingest span per record (child of its {@code traceparent} header); end them after the offset commit. */
    public IngestSpans ingest(ConsumerRecords<String, byte[]> records) {
        if (tracer == null) {
            return IngestSpans.NONE;
        }
        List<Span> spans = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            String eventId = header(record, CloudEventHeaders.ID);
            Span span = tracer.spanBuilder(record.topic() + " ingest")
                    .setParent(TraceParent.parent(header(record, TraceParent.HEADER)))
                    .setSpanKind(SpanKind.CONSUMER)
                    .setAttribute(MESSAGING_SYSTEM, "kafka")
                    .setAttribute(DESTINATION, record.topic())
                    .setAttribute(PARTITION, (long) record.partition())
                    .setAttribute(OFFSET, record.offset())
                    .setAttribute(TraceAttributes.EVENT_TYPE, header(record, CloudEventHeaders.TYPE))
                    .setAttribute(TraceAttributes.ACCOUNT_ID, header(record, CloudEventHeaders.ACCOUNT_ID))
                    .startSpan();
            if (eventId != null) {
                span.setAttribute(TraceAttributes.EVENT_ID, eventId);
                synchronized (ingested) {
                    ingested.put(eventId, span.getSpanContext());
                }
            }
            spans.add(span);
        }
        return new IngestSpans(spans);
    }

    /** Starts the span of one delivery attempt (child of its event's ingest span when this replica ingested it). */
    public AttemptSpan attempt(DeliveryTask task) {
        if (tracer == null) {
            return AttemptSpan.NONE;
        }
        SpanContext event;
        synchronized (ingested) {
            event = ingested.get(task.eventId());
        }
        Context parent = event == null ? Context.root() : Context.root().with(Span.wrap(event));
        Span span = tracer.spanBuilder("webhook attempt")
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(DELIVERY_ID, task.publicId())
                .setAttribute(ENDPOINT_ID, task.endpointId())
                .setAttribute(TraceAttributes.EVENT_ID, task.eventId())
                .setAttribute(TraceAttributes.EVENT_TYPE, task.eventType())
                .setAttribute(ATTEMPT, (long) task.attempts() + 1)
                .startSpan();
        return new AttemptSpan(span);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The ingest spans of one poll. */
    public static final class IngestSpans {
        static final IngestSpans NONE = new IngestSpans(List.of());
        private final List<Span> spans;

        IngestSpans(List<Span> spans) {
            this.spans = spans;
        }

        public void end() {
            for (Span span : spans) {
                span.end();
            }
        }
    }

    /** The span of one attempt; {@link #end} records what came of it. */
    public static final class AttemptSpan {
        static final AttemptSpan NONE = new AttemptSpan(null);
        private final Span span;

        AttemptSpan(Span span) {
            this.span = span;
        }

        public void end(DeliveryUpdate update) {
            if (span == null) {
                return;
            }
            if (update.attempt() != null) {
                if (update.attempt().statusCode() > 0) {
                    span.setAttribute(STATUS, (long) update.attempt().statusCode());
                }
                if (update.attempt().errorClass() != null) {
                    span.setAttribute(ERROR_TYPE, update.attempt().errorClass());
                }
                span.setAttribute(LATENCY, update.attempt().latencyMs());
            }
            span.setAttribute(OUTCOME, outcome(update.outcome()));
            if (!(update.outcome() instanceof Outcome.Delivered)) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }

        private static String outcome(Outcome outcome) {
            if (outcome instanceof Outcome.Delivered) {
                return "delivered";
            }
            if (outcome instanceof Outcome.Retry) {
                return "retry";
            }
            if (outcome instanceof Outcome.Dead) {
                return "dead";
            }
            return "deferred";
        }
    }
}
