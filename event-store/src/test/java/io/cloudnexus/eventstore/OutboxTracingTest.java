package io.cloudnexus.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.eventstore.outbox.OutboxRelay;
import io.cloudnexus.eventstore.outbox.OutboxTable;
import io.cloudnexus.eventstore.outbox.RelaySettings;
import io.cloudnexus.eventstore.tracing.TraceAttributes;
import io.cloudnexus.eventstore.tracing.TraceParent;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * The relay continues the trace of the request that appended an event (real PostgreSQL, real Kafka, the SDK's
 * in-memory exporter): the row stores the request's traceparent, the relay makes a publish span under it and the
 * record's {@code traceparent} header names that span; an untraced append starts a new trace at the relay.
 */
class OutboxTracingTest {

    private static PGSimpleDataSource ds;
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final SdkTracerProvider PROVIDER = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(SPANS))
            .build();
    private static final Tracer TRACER = PROVIDER.get("test");
    private EventStore store;

    @BeforeAll
    static void database() throws Exception {
        ds = TestStore.freshDatabase();
    }

    @AfterAll
    static void close() {
        PROVIDER.close();
    }

    @BeforeEach
    void clean() throws Exception {
        TestStore.truncate(ds);
        SPANS.reset();
        store = new EventStore(ds, null);
    }

    @Test
    void anAppendInsideATracedRequestIsPublishedInThatTrace() {
        String bootstrap = KafkaBrokerResource.startBroker();
        String topic = TestStore.newTopic();
        String traced = TestStore.newServerId();
        String untraced = TestStore.newServerId();
        Span request = TRACER.spanBuilder("POST /v2/servers")
                .setSpanKind(SpanKind.SERVER)
                .startSpan();
        List<StoredEvent> tracedEvents;
        try (Scope ignored = request.makeCurrent()) {
            tracedEvents = store.append(
                    "acc_1",
                    "server",
                    traced,
                    0,
                    List.of(NewEvent.of("server.created", TestStore.sample("server.created", traced))));
        } finally {
            request.end();
        }
        store.append(
                "acc_1",
                "server",
                untraced,
                0,
                List.of(NewEvent.of("server.created", TestStore.sample("server.created", untraced))));
        String eventId = tracedEvents.get(0).eventId();

        try (OutboxRelay relay = new OutboxRelay(
                        ds,
                        RelaySettings.quick(OutboxTable.EVENT_STORE, topic, "/cloudnexus/test", bootstrap, 9191),
                        TRACER)
                .start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> TestStore.unpublished(ds, OutboxTable.EVENT_STORE) == 0);
        }

        List<ConsumerRecord<String, byte[]>> records = TestStore.consume(bootstrap, topic, 2);
        assertThat(records).hasSize(2);
        ConsumerRecord<String, byte[]> tracedRecord = byKey(records, traced);
        ConsumerRecord<String, byte[]> untracedRecord = byKey(records, untraced);

        String traceId = request.getSpanContext().getTraceId();
        assertThat(SPANS.getFinishedSpanItems())
                .filteredOn(s -> s.getKind() == SpanKind.PRODUCER)
                .hasSize(2);
        SpanData publish = publishSpan(eventId);
        assertThat(publish.getName()).isEqualTo(topic + " publish");
        assertThat(publish.getTraceId()).isEqualTo(traceId);
        assertThat(publish.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(publish.getAttributes().get(TraceAttributes.EVENT_ID)).isEqualTo(eventId);
        assertThat(publish.getAttributes().get(TraceAttributes.SUBJECT)).isEqualTo(traced);

        assertThat(TestStore.header(tracedRecord, CloudEventHeaders.ID)).isEqualTo(eventId);
        assertThat(TestStore.header(tracedRecord, TraceParent.HEADER))
                .isEqualTo("00-" + traceId + "-" + publish.getSpanId() + "-01");
        // an event appended outside any trace (a background job) starts its own trace at the relay
        SpanData untracedPublish = publishSpan(TestStore.header(untracedRecord, CloudEventHeaders.ID));
        assertThat(untracedPublish.getTraceId()).isNotEqualTo(traceId);
        assertThat(untracedPublish.getParentSpanContext().isValid()).isFalse();
        assertThat(TestStore.header(untracedRecord, TraceParent.HEADER))
                .isEqualTo(TraceParent.of(untracedPublish.getSpanContext()));
    }

    @Test
    void withoutATracerTheStoredTraceparentIsPassedOnAsItIs() {
        String bootstrap = KafkaBrokerResource.startBroker();
        String topic = TestStore.newTopic();
        String server = TestStore.newServerId();
        Span request = TRACER.spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            store.append(
                    "acc_1",
                    "server",
                    server,
                    0,
                    List.of(NewEvent.of("server.created", TestStore.sample("server.created", server))));
        } finally {
            request.end();
        }
        try (OutboxRelay relay = new OutboxRelay(
                        ds, RelaySettings.quick(OutboxTable.EVENT_STORE, topic, "/cloudnexus/test", bootstrap, 9192))
                .start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> TestStore.unpublished(ds, OutboxTable.EVENT_STORE) == 0);
        }
        ConsumerRecord<String, byte[]> record =
                TestStore.consume(bootstrap, topic, 1).get(0);
        assertThat(TestStore.header(record, TraceParent.HEADER)).isEqualTo(TraceParent.of(request.getSpanContext()));
    }

    @Test
    void traceparentValuesAreParsedStrictly() {
        String valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assertThat(TraceParent.of(TraceParent.parse(valid))).isEqualTo(valid);
        assertThat(TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")
                        .isValid())
                .isFalse();
        assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-zz")
                        .isValid())
                .isFalse();
        assertThat(TraceParent.parse("garbage").isValid()).isFalse();
        assertThat(TraceParent.parse(null).isValid()).isFalse();
        assertThat(TraceParent.current()).isNull(); // outside any span
    }

    private static SpanData publishSpan(String eventId) {
        return SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.PRODUCER)
                .filter(s -> eventId.equals(s.getAttributes().get(TraceAttributes.EVENT_ID)))
                .findFirst()
                .orElseThrow();
    }

    private static ConsumerRecord<String, byte[]> byKey(List<ConsumerRecord<String, byte[]>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
    }
}
