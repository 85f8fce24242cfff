package io.cloudnexus.webhook.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.eventstore.tracing.TraceAttributes;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.Api;
import io.cloudnexus.webhook.TestEvents;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * An event published with a W3C {@code traceparent} record header (as the outbox relay publishes a traced append) is
 * followed to the receiver: an ingest span under that header, and an attempt span under the ingest span, carrying
 * the event, delivery and endpoint ids; nothing secret in any attribute.
 */
@QuarkusTest
@ServiceTest
@TestProfile(TracingProfile.class)
class DeliveryTracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PUBLISH_SPAN_ID = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void anEventsTraceContinuesThroughItsIngestAndItsDeliveryAttempt() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String server = ResourceIds.newId(ResourceIds.SERVER);
        String eventId = EventIds.newId();
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            Response created = Api.createEndpoint(account, receiver.url("/hook"), List.of("server.*"));
            assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
            String endpointId = created.path("id");
            String secret = created.path("secret");

            events.publish(
                    Topics.COMPUTE_EVENTS,
                    eventId,
                    account,
                    "server.provisioned",
                    server,
                    TestEvents.serverProvisioned(server, 7),
                    Map.of("traceparent", "00-" + TRACE_ID + "-" + PUBLISH_SPAN_ID + "-01"));
            ReceivedRequest delivered =
                    receiver.awaitCount(1, Duration.ofSeconds(30)).get(0);
            String deliveryId = delivered.header("x-cloudnexus-delivery");
            assertThat(delivered.header("traceparent"))
                    .as("the platform's trace context is not sent to customers")
                    .isNull();

            SpanData attempt =
                    await().atMost(Duration.ofSeconds(30)).until(() -> find(SpanKind.CLIENT, eventId), s -> s != null);
            SpanData ingest = await().atMost(Duration.ofSeconds(30))
                    .until(() -> find(SpanKind.CONSUMER, eventId), s -> s != null);

            assertThat(ingest.getName()).isEqualTo(Topics.COMPUTE_EVENTS + " ingest");
            assertThat(ingest.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(ingest.getParentSpanId()).isEqualTo(PUBLISH_SPAN_ID);
            assertThat(ingest.getAttributes().get(TraceAttributes.ACCOUNT_ID)).isEqualTo(account);

            assertThat(attempt.getName()).isEqualTo("webhook attempt");
            assertThat(attempt.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(attempt.getParentSpanId()).isEqualTo(ingest.getSpanId());
            assertThat(attempt.getAttributes().get(DeliveryTracing.DELIVERY_ID)).isEqualTo(deliveryId);
            assertThat(attempt.getAttributes().get(DeliveryTracing.ENDPOINT_ID)).isEqualTo(endpointId);
            assertThat(attempt.getAttributes().get(DeliveryTracing.ATTEMPT)).isEqualTo(1L);
            assertThat(attempt.getAttributes().get(DeliveryTracing.OUTCOME)).isEqualTo("delivered");
            assertThat(attempt.getAttributes()
                            .get(io.opentelemetry.api.common.AttributeKey.longKey("http.response.status_code")))
                    .isEqualTo(200L);

            for (SpanData span : spans.getFinishedSpanItems()) {
                assertThat(span.getAttributes().asMap().values().toString())
                        .as("no secret or signature in %s", span.getName())
                        .doesNotContain(secret)
                        .doesNotContain(delivered.header("x-cloudnexus-signature"));
            }
        }
    }

    private SpanData find(SpanKind kind, String eventId) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == kind)
                .filter(s -> eventId.equals(s.getAttributes().get(TraceAttributes.EVENT_ID)))
                .findFirst()
                .orElse(null);
    }
}
