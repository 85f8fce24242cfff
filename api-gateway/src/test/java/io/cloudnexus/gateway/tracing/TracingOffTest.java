package io.cloudnexus.gateway.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudnexus.gateway.Accounts;
import io.cloudnexus.gateway.GatewayTest;
import io.cloudnexus.gateway.UpstreamReceiverResource;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.junit.QuarkusTest;

/** The default configuration traces nothing: no real spans, none exported, no traceparent made up for the service. */
@QuarkusTest
@GatewayTest
class TracingOffTest {

    RecordingReceiver upstream = UpstreamReceiverResource.receiver();

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    @Test
    void byDefaultNothingIsTracedOrExported() {
        Accounts.Credentials caller = Accounts.professional();
        upstream.script(
                Reply.status(200).withHeader("Content-Type", "application/json").withBody("{\"data\":[]}"));
        assertThat(given().header("Authorization", "Bearer " + caller.key())
                        .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                        .get("/v2/servers")
                        .statusCode())
                .isEqualTo(200);
        ReceivedRequest forwarded =
                upstream.awaitCount(1, Duration.ofSeconds(10)).get(0);
        assertThat(forwarded.header("traceparent")).isNull();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
}
