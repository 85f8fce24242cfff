package io.cloudnexus.eventstore;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.postgresql.ds.PGSimpleDataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.PostgresDatabaseResource;

/** A fresh cn_test_event_store database with the library's migration applied, plus Kafka read helpers. */
final class TestStore {

    private TestStore() {
    }

    static PGSimpleDataSource freshDatabase() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(PostgresDatabaseResource.recreate("cn_test_event_store"));
        ds.setUser(System.getProperty("cn.test.pg.user", System.getenv().getOrDefault("CN_TEST_PG_USER", "postgres")));
        ds.setPassword(System.getProperty("cn.test.pg.password",
                System.getenv().getOrDefault("CN_TEST_PG_PASSWORD", "")));
        String migration;
        try (var in = TestStore.class.getClassLoader().getResourceAsStream("db/event-store/V1__event_store.sql")) {
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(migration);
        }
        return ds;
    }

    static void truncate(PGSimpleDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE event_store");
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
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
