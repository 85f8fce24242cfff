package io.cloudnexus.compute.tracing;

import static io.cloudnexus.testsupport.TopicReader.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.cloudnexus.common.tracing.RequestIdSpans;
import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.eventstore.tracing.TraceAttributes;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.testsupport.TopicReader;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A command made inside a traced request (as the gateway forwards it, with {@code traceparent}) appends its event in
 * that trace, and the outbox relay publishes the record with a {@code traceparent} header of the same trace (real
 * PostgreSQL, real Kafka broker, the in-memory exporter as a CDI bean).
 */
@QuarkusTest
@ServiceTest
@TestProfile(TracingProfile.class)
class ComputeTracingTest {

    private static final String TRACE_ID = "5c2f0e9d7a8b4c1d9e3f2a1b0c9d8e7f";
    private static final String GATEWAY_SPAN_ID = "a1b2c3d4e5f60718";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theCreatedEventIsPublishedInTheRequestsTrace() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        Response created = given().auth()
                .oauth2(IdentityTokens.forAccount(account))
                .contentType(ContentType.JSON)
                .header("traceparent", "00-" + TRACE_ID + "-" + GATEWAY_SPAN_ID + "-01")
                .header("X-Request-Id", "req_tracing_test")
                .body("{\"region\":\"us-east-1\",\"plan\":\"starter\",\"image\":\"ubuntu-22.04\"}")
                .post("/servers");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        String serverId = created.path("id");

        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(
                Topics.COMPUTE_EVENTS, Set.of(serverId), r -> !r.isEmpty(), Duration.ofSeconds(30));
        ConsumerRecord<String, byte[]> createdRecord = records.stream()
                .filter(r -> "server.created".equals(header(r, CloudEventHeaders.TYPE)))
                .findFirst()
                .orElseThrow();
        String eventId = header(createdRecord, CloudEventHeaders.ID);
        String traceparent = header(createdRecord, "traceparent");
        assertThat(traceparent).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");

        SpanData server = await().atMost(Duration.ofSeconds(30)).until(() -> first(SpanKind.SERVER), s -> s != null);
        SpanData publish = await().atMost(Duration.ofSeconds(30)).until(() -> first(SpanKind.PRODUCER), s -> s != null);
        assertThat(server.getParentSpanId()).isEqualTo(GATEWAY_SPAN_ID);
        assertThat(server.getAttributes().get(RequestIdSpans.REQUEST_ID)).isEqualTo("req_tracing_test");
        assertThat(publish.getName()).isEqualTo(Topics.COMPUTE_EVENTS + " publish");
        assertThat(publish.getAttributes().get(TraceAttributes.EVENT_ID)).isEqualTo(eventId);
        assertThat(traceparent.substring(36, 52))
                .as("the record's traceparent names the publish span")
                .isEqualTo(publish.getSpanId());
    }

    private SpanData first(SpanKind kind) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == kind && s.getTraceId().equals(TRACE_ID))
                .findFirst()
                .orElse(null);
    }
}
