package io.cloudnexus.eventstore;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.postgresql.ds.PGSimpleDataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.eventstore.outbox.OutboxTable;
import io.cloudnexus.testsupport.PostgresDatabaseResource;

/** A fresh cn_test_event_store database with the library's migration applied, plus Kafka read helpers. */
final class TestStore {

    private TestStore() {}

    static PGSimpleDataSource freshDatabase() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(PostgresDatabaseResource.recreate("cn_test_event_store"));
        ds.setUser(System.getProperty("cn.test.pg.user", System.getenv().getOrDefault("CN_TEST_PG_USER", "postgres")));
        ds.setPassword(
                System.getProperty("cn.test.pg.password", System.getenv().getOrDefault("CN_TEST_PG_PASSWORD", "")));
        String migration;
        try (var in = TestStore.class.getClassLoader().getResourceAsStream("db/event-store/V1__event_store.sql")) {
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(migration);
            // what every service using the store adds (e.g. compute-service's V3__event_store_traceparent.sql)
            s.execute("ALTER TABLE event_store ADD COLUMN traceparent TEXT");
        }
        return ds;
    }

    static void truncate(PGSimpleDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE event_store");
        }
    }

    /** Creates (empty) a table shaped like webhook-service's {@code webhook_outbox}: a service's own outbox. */
    static OutboxTable ownOutbox(PGSimpleDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS own_outbox");
            s.execute(
                    "CREATE TABLE own_outbox (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                            + "event_id TEXT NOT NULL UNIQUE, account_id TEXT NOT NULL, type TEXT NOT NULL, subject TEXT NOT NULL, "
                            + "data TEXT NOT NULL, occurred_at TIMESTAMPTZ NOT NULL, published_at TIMESTAMPTZ, traceparent TEXT)");
        }
        return new OutboxTable("own_outbox", "id", "subject");
    }

    /** {@code count} webhook.endpoint.disabled rows in one statement, as webhook-service writes them (JSON text). */
    static void insertOwnOutbox(PGSimpleDataSource ds, OutboxTable table, int count) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.name()
                        + " (event_id, account_id, type, subject, data, occurred_at) SELECT e, 'acc_1', 'webhook.endpoint.disabled', "
                        + "s, '{\"endpoint_id\":\"' || s || '\",\"reason\":\"failing\"}', now() "
                        + "FROM unnest(?::text[], ?::text[]) AS x(e, s)")) {
            String[] ids = new String[count];
            String[] subjects = new String[count];
            for (int i = 0; i < count; i++) {
                ids[i] = EventIds.newId();
                subjects[i] = ResourceIds.newId(ResourceIds.WEBHOOK_ENDPOINT);
            }
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("text", subjects));
            ps.executeUpdate();
        }
    }

    static long unpublished(PGSimpleDataSource ds, OutboxTable table) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table.name() + " WHERE published_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** How many records the topic holds (the sum of its partitions' end offsets; no transactions write to it). */
    static long recordsOn(String bootstrap, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrap))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    /** The catalog sample of {@code type}, about server {@code serverId}. */
    static JsonNode sample(String type, String serverId) {
        ObjectNode data = (ObjectNode) EventCatalog.load().get(type).sample();
        data.put("server_id", serverId);
        return data;
    }

    static String newServerId() {
        return ResourceIds.newId(ResourceIds.SERVER);
    }

    static String newTopic() {
        return "test.events." + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Reads {@code topic} from the beginning until {@code count} records arrived (or 30 s passed). */
    static List<ConsumerRecord<String, byte[]>> consume(String bootstrap, String topic, int count) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrap))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Properties consumerProperties(String bootstrap) {
        Properties p = new Properties();
        p.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()));
        return p;
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
