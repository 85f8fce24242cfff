package io.cloudnexus.webhook.events;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.Topics;

/**
 * Publishes this service's own events (the {@code webhook_outbox} rows, written in the same transaction as
 * the change they describe) to {@code webhook.events}, in order, and marks them published only after the
 * broker acknowledged them (idempotent producer, acks=all). A crash in between re-sends; consumers
 * deduplicate on the event id. Nothing is lost.
 */
@ApplicationScoped
public class OutboxRelay {

    private final DataSource dataSource;
    private final String bootstrapServers;
    private volatile KafkaProducer<String, byte[]> producer;

    public OutboxRelay(DataSource dataSource, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.dataSource = dataSource;
        this.bootstrapServers = bootstrapServers;
    }

    /** Publishes up to 100 pending events; returns how many. */
    public int publishPending() throws Exception {
        record Row(long id, String eventId, String accountId, String type, String subject, String data,
                java.time.Instant occurredAt) {
        }
        List<Row> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, event_id, account_id, type, subject, data, occurred_at FROM webhook_outbox "
                        + "WHERE published_at IS NULL ORDER BY id LIMIT 100");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getTimestamp(7).toInstant()));
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Row row : rows) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.WEBHOOK_EVENTS, row.subject(),
                    row.data().getBytes(StandardCharsets.UTF_8));
            header(record, CloudEventHeaders.SPECVERSION, CloudEventHeaders.SPEC_VERSION);
            header(record, CloudEventHeaders.ID, row.eventId());
            header(record, CloudEventHeaders.TYPE, row.type());
            header(record, CloudEventHeaders.SOURCE, "/cloudnexus/webhook-service");
            header(record, CloudEventHeaders.TIME, EventEnvelope.formatTimestamp(row.occurredAt()));
            header(record, CloudEventHeaders.SUBJECT, row.subject());
            header(record, CloudEventHeaders.ACCOUNT_ID, row.accountId());
            header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.CONTENT_TYPE_JSON);
            sent.add(producer().send(record));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE webhook_outbox SET published_at = now() WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", rows.stream().map(Row::id).toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw e;
        }
        return rows.size();
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    Properties props = new Properties();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
                    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
                    producer = new KafkaProducer<>(props);
                }
            }
        }
        return producer;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
