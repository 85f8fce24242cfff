package io.cloudnexus.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.Api;
import io.cloudnexus.webhook.Rows;
import io.cloudnexus.webhook.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * One event to more endpoints on one host than the client keeps connections to it: every attempt gets its whole
 * deadline for its own exchange. Before the {@link HostGate}, all of them started at
 * once and the ones waiting for a pooled connection spent their deadline there: with 2 connections, 12 endpoints
 * answering in 400 ms and a 2 s deadline, the last ones timed out unsent (and were retried later), although the
 * receiver answered every request. With the gate (2 in flight, one per connection) each attempt takes about 400 ms.
 */
@QuarkusTest
@ServiceTest
@TestProfile(FanOutToOneHostTest.TwoConnections.class)
class FanOutToOneHostTest {

    private static final int ENDPOINTS = 12;

    public static class TwoConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "cloudnexus.webhooks.outbound.max-connections-per-host", "2",
                    "cloudnexus.webhooks.outbound.timeout", "2s",
                    "cloudnexus.webhooks.stream.enabled", "false");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void noAttemptSpendsItsDeadlineWaitingForAConnection() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String eventId = EventIds.newId();
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            receiver.defaultReply(Reply.ok().after(Duration.ofMillis(400)));
            for (int i = 0; i < ENDPOINTS; i++) {
                Api.createEndpoint(account, receiver.url("/fan/" + i), List.of("server.provisioned"))
                        .then()
                        .statusCode(201);
            }
            events.publish(
                    Topics.COMPUTE_EVENTS,
                    eventId,
                    account,
                    "server.provisioned",
                    "srv_fan",
                    TestEvents.serverProvisioned("srv_fan", 1));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> count(
                                    "SELECT count(*) FROM webhook_delivery WHERE event_id = ? AND status = 'delivered'",
                                    eventId)
                            == ENDPOINTS);
            assertThat(count(
                            "SELECT count(*) FROM webhook_attempt a JOIN webhook_delivery d ON d.id = a.delivery_id "
                                    + "WHERE d.event_id = ?",
                            eventId))
                    .as("one attempt per delivery, none timed out waiting for a connection")
                    .isEqualTo(ENDPOINTS);
        }
    }

    private long count(String sql, String eventId) throws Exception {
        return ((Number) Rows.value(dataSource, sql, eventId)).longValue();
    }
}
