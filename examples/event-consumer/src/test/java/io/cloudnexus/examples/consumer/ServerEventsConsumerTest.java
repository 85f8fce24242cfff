package io.cloudnexus.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.contracts.events.EventData;
import io.cloudnexus.contracts.events.EventTypes;
import io.cloudnexus.contracts.events.ServerCreated;
import io.cloudnexus.contracts.events.ServerProvisioned;
import io.cloudnexus.contracts.events.ServerScaled;
import io.cloudnexus.contracts.events.ServerTerminated;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The example consumer against a real (in-process) Kafka broker: events published as the services' outbox relays
 * publish them (CloudEvents binary mode, key = aggregate id, value = canonical JSON of the data) arrive as typed
 * records, and a redelivered event (same ce_id) is applied once.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ServerEventsConsumerTest {

    private static final String ACCOUNT = "acc_example1";
    private static KafkaProducer<String, byte[]> producer;

    @Inject
    ServerInventory inventory;

    @Inject
    ProcessedEvents processed;

    @BeforeAll
    static void producer() {
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaBrokerResource.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    @Test
    void eventsArriveAsRecordsAndARedeliveryIsAppliedOnce() throws Exception {
        String web = ResourceIds.newId(ResourceIds.SERVER);
        String db = ResourceIds.newId(ResourceIds.SERVER);
        String scaledId = EventIds.newId();
        publish(
                EventIds.newId(),
                web,
                ServerCreated.provisioning(web, "web-1", "us-east-1", "starter", "ubuntu-22.04"));
        publish(EventIds.newId(), web, ServerProvisioned.active(web, "us-east-1", "192.0.2.10"));
        publish(scaledId, web, new ServerScaled(web, "starter", "business", "us-east-1"));
        publish(EventIds.newId(), db, ServerCreated.provisioning(db, "db-1", "us-east-1", "starter", "ubuntu-22.04"));
        // the relay re-sends after a crash between publish and mark: same ce_id, same data
        publish(scaledId, web, new ServerScaled(web, "starter", "business", "us-east-1"));
        // a later plan change, then the second server goes away
        publish(EventIds.newId(), web, new ServerScaled(web, "business", "premium", "us-east-1"));
        publish(EventIds.newId(), db, ServerTerminated.of(db, "us-east-1"));
        // the same scaled event re-sent once more after the later one: still applied once
        publish(scaledId, web, new ServerScaled(web, "starter", "business", "us-east-1"));

        // 6 distinct events and 2 redeliveries: once all 8 are consumed, the redeliveries changed nothing
        await().atMost(Duration.ofSeconds(30)).until(() -> processed.applied() == 6 && processed.duplicates() == 2);
        assertThat(inventory.find(web)).contains(new ServerInventory.Server(web, "premium", "192.0.2.10"));
        assertThat(inventory.find(db)).isEmpty();
        assertThat(inventory.size()).isEqualTo(1);
    }

    /** One event as an outbox relay publishes it to compute.events. */
    private static void publish(String eventId, String serverId, EventData data) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEventHeaders.SPECVERSION, CloudEventHeaders.SPEC_VERSION);
        header(headers, CloudEventHeaders.ID, eventId);
        header(headers, CloudEventHeaders.TYPE, data.type());
        header(headers, CloudEventHeaders.SOURCE, "/cloudnexus/compute-service");
        header(headers, CloudEventHeaders.TIME, EventEnvelope.formatTimestamp(Instant.now()));
        header(headers, CloudEventHeaders.SUBJECT, serverId);
        header(headers, CloudEventHeaders.ACCOUNT_ID, ACCOUNT);
        header(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.CONTENT_TYPE_JSON);
        byte[] value = CanonicalJson.toBytes(EventTypes.toJson(data));
        producer.send(new ProducerRecord<>(Topics.COMPUTE_EVENTS, null, serverId, value, headers))
                .get();
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
