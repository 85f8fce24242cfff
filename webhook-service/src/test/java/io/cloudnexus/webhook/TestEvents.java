package io.cloudnexus.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.EventIds;

/** Produces domain events straight onto the topics, as the domain services' outbox relays do (CloudEvents binary mode). */
public final class TestEvents implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    public TestEvents(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
    }

    /** Publishes one event and waits for the broker's acknowledgement; returns its event id. */
    public String publish(String topic, String accountId, String type, String subject, String dataJson) {
        String id = EventIds.newId();
        publish(topic, id, accountId, type, subject, dataJson);
        return id;
    }

    /** Publishes one event with the given id and waits for the broker's acknowledgement; returns where it landed. */
    public RecordMetadata publish(
            String topic, String id, String accountId, String type, String subject, String dataJson) {
        return publish(topic, id, accountId, type, subject, dataJson, Map.of());
    }

    /** Publishes one event with extra record headers (e.g. {@code traceparent}); returns where it landed. */
    public RecordMetadata publish(
            String topic,
            String id,
            String accountId,
            String type,
            String subject,
            String dataJson,
            Map<String, String> extraHeaders) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, subject, dataJson.getBytes(StandardCharsets.UTF_8));
        header(record, CloudEventHeaders.SPECVERSION, "1.0");
        header(record, CloudEventHeaders.ID, id);
        header(record, CloudEventHeaders.TYPE, type);
        header(record, CloudEventHeaders.SOURCE, "/cloudnexus/test");
        header(record, CloudEventHeaders.TIME, EventEnvelope.formatTimestamp(Instant.now()));
        header(record, CloudEventHeaders.SUBJECT, subject);
        header(record, CloudEventHeaders.ACCOUNT_ID, accountId);
        extraHeaders.forEach((name, value) -> header(record, name, value));
        try {
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("produce failed", e);
        }
    }

    /** A server.provisioned data object for {@code serverId}. */
    public static String serverProvisioned(String serverId, int n) {
        return "{\"server_id\":\"" + serverId + "\",\"region\":\"us-east-1\",\"status\":\"running\",\"ip\":\"203.0.113."
                + (n % 250) + "\"}";
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
