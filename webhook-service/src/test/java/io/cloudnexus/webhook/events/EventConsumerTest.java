package io.cloudnexus.webhook.events;

import static io.cloudnexus.testsupport.RefusingTrigger.committedOffset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.RefusingTrigger;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.Api;
import io.cloudnexus.webhook.TestEvents;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Invariant 1 on the SmallRye Kafka connector: while PostgreSQL refuses an event's deliveries, nothing is sent, the
 * group's committed offset does not pass the record (throttled commits of acknowledged records only, no nack), and
 * once the database accepts them the event is delivered once and the offset moves on.
 */
@QuarkusTest
@ServiceTest
class EventConsumerTest {

    @Inject
    DataSource dataSource;

    @Test
    void anEventWhoseDeliveriesCannotBeStoredIsRetriedAndItsOffsetCommittedOnlyOnceTheyAreDurable() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String eventId = EventIds.newId();
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            Api.createEndpoint(account, receiver.url("/r"), List.of("server.provisioned"));
            RecordMetadata at;
            TopicPartition partition;
            try (RefusingTrigger refused = RefusingTrigger.refuse(dataSource, "webhook_delivery", account)) {
                at = events.publish(
                        Topics.COMPUTE_EVENTS,
                        eventId,
                        account,
                        "server.provisioned",
                        "srv_refused",
                        TestEvents.serverProvisioned("srv_refused", 1));
                partition = new TopicPartition(at.topic(), at.partition());
                // well past the connector's commit interval (auto.commit.interval.ms, 5 s) and several retries
                await().during(Duration.ofSeconds(7))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> receiver.count() == 0
                                && refused.rows() == 0
                                && committedOffset("webhook-service", partition) <= at.offset());
            }
            assertThat(receiver.awaitCount(1, Duration.ofSeconds(30)).get(0).header("webhook-id"))
                    .isEqualTo(eventId);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> committedOffset("webhook-service", partition) > at.offset());
        }
    }
}
