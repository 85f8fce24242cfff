package io.cloudnexus.webhook.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.Api;
import io.cloudnexus.webhook.TestEvents;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The default configuration traces nothing: the SDK is disabled ({@code quarkus.otel.sdk.disabled=true} from
 * service-common), so a record carrying a traceparent is delivered as usual and no span reaches any exporter.
 */
@QuarkusTest
@ServiceTest
class TracingOffTest {

    @Inject
    InMemorySpanExporter spans;

    @Inject
    DeliveryTracing tracing;

    @Test
    void byDefaultNothingIsTracedOrExported() {
        assertThat(tracing.enabled()).isFalse();
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String server = ResourceIds.newId(ResourceIds.SERVER);
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            assertThat(Api.createEndpoint(account, receiver.url("/hook"), List.of("server.*"))
                            .statusCode())
                    .isEqualTo(201);
            events.publish(
                    Topics.COMPUTE_EVENTS,
                    EventIds.newId(),
                    account,
                    "server.provisioned",
                    server,
                    TestEvents.serverProvisioned(server, 8),
                    Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
            assertThat(receiver.awaitCount(1, Duration.ofSeconds(30)).get(0).header("traceparent"))
                    .isNull();
        }
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
}
