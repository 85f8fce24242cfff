package io.cloudnexus.gateway.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudnexus.gateway.Accounts;
import io.cloudnexus.gateway.GatewayTest;
import io.cloudnexus.gateway.UpstreamReceiverResource;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * With tracing on, a proxied request continues the caller's trace: the service (a real HTTP receiver) gets a W3C
 * {@code traceparent} in that trace, and the gateway's server span carries the request id.
 */
@QuarkusTest
@GatewayTest
@TestProfile(TracingProfile.class)
class ProxyTracingTest {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String CALLER_SPAN_ID = "b7ad6b7169203331";

    RecordingReceiver upstream = UpstreamReceiverResource.receiver();

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void reset() {
        upstream.reset();
        spans.reset();
    }

    @Test
    void aProxiedRequestCarriesTheTraceToTheServiceAndTheSpanNamesTheRequestId() {
        Accounts.Credentials caller = Accounts.professional();
        upstream.script(
                Reply.status(200).withHeader("Content-Type", "application/json").withBody("{\"data\":[]}"));

        Response response = given().header("Authorization", "Bearer " + caller.key())
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01")
                .get("/v2/servers");
        assertThat(response.statusCode()).isEqualTo(200);
        String requestId = response.header("X-Request-Id");
        assertThat(requestId).startsWith("req_");

        ReceivedRequest forwarded =
                upstream.awaitCount(1, Duration.ofSeconds(10)).get(0);
        String traceparent = forwarded.header("traceparent");
        assertThat(traceparent).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
        String upstreamParent = traceparent.substring(36, 52);

        SpanData server = await().atMost(Duration.ofSeconds(30)).until(() -> first(SpanKind.SERVER), s -> s != null);
        assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN_ID);
        assertThat(server.getAttributes().get(RequestSpans.REQUEST_ID)).isEqualTo(requestId);

        SpanData client = await().atMost(Duration.ofSeconds(30)).until(() -> first(SpanKind.CLIENT), s -> s != null);
        assertThat(client.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(client.getSpanId())
                .as("the service's parent is the gateway's client span")
                .isEqualTo(upstreamParent);
        assertThat(List.of(server, client))
                .allSatisfy(
                        span -> assertThat(span.getAttributes().asMap().values().toString())
                                .doesNotContain(caller.key()));
    }

    private SpanData first(SpanKind kind) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == kind && s.getTraceId().equals(TRACE_ID))
                .findFirst()
                .orElse(null);
    }
}
