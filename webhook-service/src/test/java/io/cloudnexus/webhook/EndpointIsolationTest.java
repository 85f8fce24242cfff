package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;

/** A hanging endpoint never delays another endpoint's deliveries (no head-of-line blocking across endpoints). */
@QuarkusTest
@ServiceTest
class EndpointIsolationTest {

    private static final int EVENTS = 60;

    @Test
    void aHangingEndpointDoesNotStopDeliveriesToAHealthyOne() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver hanging = RecordingReceiver.start();
                RecordingReceiver healthy = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            hanging.defaultReply(Reply.hang());
            // the hanging endpoint is created first, so it is first in every event's fan-out
            Api.createEndpoint(account, hanging.url("/hang"), List.of("*"));
            Api.createEndpoint(account, healthy.url("/ok"), List.of("*"));

            List<String> published = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                // one aggregate: one partition, so the events are consumed in this order
                published.add(events.publish(
                        Topics.COMPUTE_EVENTS,
                        account,
                        "server.provisioned",
                        "srv_iso",
                        TestEvents.serverProvisioned("srv_iso", i)));
            }

            List<String> got = healthy.awaitCount(EVENTS, Duration.ofSeconds(30)).stream()
                    .map(r -> EventEnvelope.parse(r.bodyAsString()).id())
                    .toList();
            assertThat(got).containsExactlyInAnyOrderElementsOf(published);
            // while the healthy endpoint got every event, the hanging one is still stuck on its first requests:
            // it holds at most its in-flight bound (8) per timeout round, far fewer than the events.
            assertThat(hanging.count()).isGreaterThanOrEqualTo(1).isLessThan(EVENTS / 2);
        }
    }

    @Test
    void aSlowEndpointDoesNotDelayAFastOne() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver slow = RecordingReceiver.start();
                RecordingReceiver fast = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            slow.defaultReply(Reply.ok().after(Duration.ofMillis(300)));
            Api.createEndpoint(account, slow.url("/slow"), List.of("server.*"));
            Api.createEndpoint(account, fast.url("/fast"), List.of("server.*"));
            for (int i = 0; i < 40; i++) {
                events.publish(
                        Topics.COMPUTE_EVENTS,
                        account,
                        "server.scaled",
                        "srv_slow",
                        "{\"server_id\":\"srv_slow\",\"n\":" + i + "}");
            }
            fast.awaitCount(40, Duration.ofSeconds(30));
            // 40 deliveries at 300 ms with 8 in flight take at least 1.5 s on the slow endpoint: it cannot be done yet
            assertThat(slow.count()).isLessThan(40);
        }
    }
}
