package io.cloudnexus.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.eventstore.outbox.OutboxRelay;
import io.cloudnexus.eventstore.outbox.OutboxTable;
import io.cloudnexus.eventstore.outbox.RelaySettings;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.KafkaTestBroker;
import io.cloudnexus.testsupport.TcpProxy;

/**
 * The outbox relay against real PostgreSQL and real Kafka brokers (one of them started late, then restarted), over
 * {@code event_store} and over a table shaped like webhook-service's {@code webhook_outbox}.
 */
class OutboxRelayTest {

    private static PGSimpleDataSource ds;
    private static long lockKeys = 4242;
    private EventStore store;

    @BeforeAll
    static void database() throws Exception {
        ds = TestStore.freshDatabase();
    }

    @BeforeEach
    void clean() throws Exception {
        TestStore.truncate(ds);
        store = new EventStore(ds, null);
    }

    @Test
    void publishesCloudEventsKeyedByAggregateAndMarksThemPublished() {
        String bootstrap = KafkaBrokerResource.startBroker();
        String topic = TestStore.newTopic();
        String a = TestStore.newServerId();
        String b = TestStore.newServerId();
        List<StoredEvent> appended = new ArrayList<>();
        appended.addAll(store.append(
                "acc_1",
                "server",
                a,
                0,
                List.of(
                        NewEvent.of("server.created", TestStore.sample("server.created", a)),
                        NewEvent.of("server.provisioned", TestStore.sample("server.provisioned", a)))));
        appended.addAll(store.append(
                "acc_2",
                "server",
                b,
                0,
                List.of(NewEvent.of("server.created", TestStore.sample("server.created", b)))));

        try (OutboxRelay relay = relay(topic, bootstrap).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> unpublished() == 0);
            assertThat(relay.publishedCount()).isEqualTo(3);
        }
        List<ConsumerRecord<String, byte[]>> records = TestStore.consume(bootstrap, topic, 3);
        assertThat(records).hasSize(3);
        for (StoredEvent event : appended) {
            ConsumerRecord<String, byte[]> record = records.stream()
                    .filter(r -> event.eventId().equals(TestStore.header(r, CloudEventHeaders.ID)))
                    .findFirst()
                    .orElseThrow();
            assertThat(record.key()).isEqualTo(event.aggregateId());
            assertThat(TestStore.header(record, CloudEventHeaders.SPECVERSION)).isEqualTo("1.0");
            assertThat(TestStore.header(record, CloudEventHeaders.TYPE)).isEqualTo(event.type());
            assertThat(TestStore.header(record, CloudEventHeaders.SOURCE)).isEqualTo("/cloudnexus/test");
            assertThat(TestStore.header(record, CloudEventHeaders.SUBJECT)).isEqualTo(event.aggregateId());
            assertThat(TestStore.header(record, CloudEventHeaders.ACCOUNT_ID)).isEqualTo(event.accountId());
            assertThat(TestStore.header(record, CloudEventHeaders.TIME))
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            String value = new String(record.value(), StandardCharsets.UTF_8);
            assertThat(value).isEqualTo(CanonicalJson.canonicalize(value));
            assertThat(CanonicalJson.parse(value)).isEqualTo(event.data());
            assertThat(EventCatalog.load().validate(event.type(), CanonicalJson.parse(value)))
                    .isEmpty();
        }
    }

    @Test
    void eventsAppendedWhileKafkaIsUnreachableArePublishedInOrderOnceItIsBack() throws Exception {
        String topic = TestStore.newTopic();
        List<String> servers = List.of(TestStore.newServerId(), TestStore.newServerId(), TestStore.newServerId());

        try (TcpProxy proxy = TcpProxy.onFreePort(); // not listening: Kafka is unreachable from the start
                KafkaTestBroker broker = KafkaTestBroker.startBehind(proxy);
                OutboxRelay relay = relay(topic, broker.bootstrapServers()).start()) {
            List<StoredEvent> first = appendRounds(servers, 0, 10); // 30 events while nothing answers
            await().atMost(Duration.ofSeconds(10)).until(relay::isFailing);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> unpublished() == 30);

            proxy.restore();
            await().atMost(Duration.ofSeconds(30)).until(() -> unpublished() == 0);
            assertPublishedInOrder(TestStore.consume(broker.bootstrapServers(), topic, 30), first);

            proxy.cut(); // the broker goes away again, after the relay had a working producer
            List<StoredEvent> second = appendRounds(servers, 10, 5);
            await().atMost(Duration.ofSeconds(10)).until(relay::isFailing);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> unpublished() == 15);

            proxy.restore();
            await().atMost(Duration.ofSeconds(30)).until(() -> unpublished() == 0);
            List<StoredEvent> all = new ArrayList<>(first);
            all.addAll(second);
            assertPublishedInOrder(TestStore.consume(broker.bootstrapServers(), topic, 45), all);
        }
    }

    @Test
    void aRowCommittedLateWithALowerSequenceIsPublishedNotSkipped() throws Exception {
        String bootstrap = KafkaBrokerResource.startBroker();
        String topic = TestStore.newTopic();
        String slow = TestStore.newServerId();
        String fast = TestStore.newServerId();
        try (OutboxRelay relay = relay(topic, bootstrap).start();
                Connection open = ds.getConnection()) {
            open.setAutoCommit(false);
            long slowSeq = insertRaw(open, slow); // takes its sequence number first, commits last
            long fastSeq = store.append(
                            "acc_1",
                            "server",
                            fast,
                            0,
                            List.of(NewEvent.of("server.created", TestStore.sample("server.created", fast))))
                    .get(0)
                    .globalSeq();
            assertThat(slowSeq).isLessThan(fastSeq);

            await().atMost(Duration.ofSeconds(20)).until(() -> publishedAt(fastSeq) != null);
            open.commit();
            await().atMost(Duration.ofSeconds(20)).until(() -> publishedAt(slowSeq) != null);
            assertThat(relay.publishedCount()).isEqualTo(2);
        }
        List<ConsumerRecord<String, byte[]>> records = TestStore.consume(bootstrap, topic, 2);
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(slow, fast);
    }

    @Test
    void onlyOneRelayPerDatabaseIsActive() {
        String bootstrap = KafkaBrokerResource.startBroker();
        RelaySettings settings = RelaySettings.quick(TestStore.newTopic(), "/cloudnexus/test", bootstrap, ++lockKeys);
        try (OutboxRelay first = new OutboxRelay(ds, settings).start()) {
            await().atMost(Duration.ofSeconds(10)).until(first::isActive);
            try (OutboxRelay second = new OutboxRelay(ds, settings).start()) {
                await().during(Duration.ofMillis(500))
                        .atMost(Duration.ofSeconds(2))
                        .until(() -> !second.isActive());
                first.close();
                await().atMost(Duration.ofSeconds(10)).until(second::isActive);
            }
        }
    }

    @Test
    void twoRelaysOverTheSameOutboxTablePublishEveryRowExactlyOnce() throws Exception {
        String bootstrap = KafkaBrokerResource.startBroker();
        String topic = TestStore.newTopic();
        OutboxTable table = TestStore.ownOutbox(ds); // shaped like webhook-service's webhook_outbox
        RelaySettings settings = RelaySettings.quick(table, topic, "/cloudnexus/own", bootstrap, ++lockKeys);
        int rounds = 6;
        int perRound = 200;
        try (OutboxRelay first = new OutboxRelay(ds, settings).start();
                OutboxRelay second = new OutboxRelay(ds, settings).start()) {
            for (int round = 0; round < rounds; round++) {
                TestStore.insertOwnOutbox(ds, table, perRound);
                first.wake();
                second.wake();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> TestStore.unpublished(ds, table) == 0);
            assertThat(first.isActive() ^ second.isActive()).isTrue();
            assertThat(first.publishedCount() + second.publishedCount()).isEqualTo(rounds * perRound);
        }
        assertThat(TestStore.recordsOn(bootstrap, topic)).isEqualTo(rounds * perRound); // nothing sent twice
        List<ConsumerRecord<String, byte[]>> records = TestStore.consume(bootstrap, topic, rounds * perRound);
        assertThat(records)
                .extracting(r -> TestStore.header(r, CloudEventHeaders.ID))
                .doesNotHaveDuplicates()
                .hasSize(rounds * perRound);
        ConsumerRecord<String, byte[]> one = records.get(0);
        assertThat(one.key()).startsWith("whk_").isEqualTo(TestStore.header(one, CloudEventHeaders.SUBJECT));
        assertThat(TestStore.header(one, CloudEventHeaders.SOURCE)).isEqualTo("/cloudnexus/own");
        assertThat(TestStore.header(one, CloudEventHeaders.TYPE)).isEqualTo("webhook.endpoint.disabled");
        assertThat(new String(one.value(), StandardCharsets.UTF_8))
                .startsWith("{\"endpoint_id\":\"" + one.key() + "\"");
    }

    private OutboxRelay relay(String topic, String bootstrap) {
        return new OutboxRelay(ds, RelaySettings.quick(topic, "/cloudnexus/test", bootstrap, ++lockKeys));
    }

    /** {@code rounds} rounds of one server.scaled event per server, interleaved across the aggregates. */
    private List<StoredEvent> appendRounds(List<String> servers, int startVersion, int rounds) {
        List<StoredEvent> appended = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (String server : servers) {
                String type = startVersion + round == 0 ? "server.created" : "server.scaled";
                appended.addAll(store.append(
                        "acc_1",
                        "server",
                        server,
                        startVersion + round,
                        List.of(NewEvent.of(type, TestStore.sample(type, server)))));
            }
        }
        return appended;
    }

    private static void assertPublishedInOrder(
            List<ConsumerRecord<String, byte[]>> records, List<StoredEvent> expected) {
        assertThat(records)
                .extracting(r -> TestStore.header(r, CloudEventHeaders.ID))
                .containsExactlyInAnyOrderElementsOf(
                        expected.stream().map(StoredEvent::eventId).toList());
        Map<String, List<String>> perKey = records.stream()
                .collect(Collectors.groupingBy(
                        ConsumerRecord::key,
                        Collectors.mapping(r -> TestStore.header(r, CloudEventHeaders.ID), Collectors.toList())));
        Map<String, List<String>> expectedPerKey = expected.stream()
                .sorted(Comparator.comparingLong(StoredEvent::globalSeq))
                .collect(Collectors.groupingBy(
                        StoredEvent::aggregateId, Collectors.mapping(StoredEvent::eventId, Collectors.toList())));
        assertThat(perKey).isEqualTo(expectedPerKey);
    }

    private long insertRaw(Connection c, String serverId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_store (event_id, account_id, aggregate_type, "
                + "aggregate_id, version, type, data, occurred_at) VALUES (?, 'acc_1', 'server', ?, 1, 'server.created', "
                + "?::jsonb, now()) RETURNING global_seq")) {
            ps.setString(1, io.cloudnexus.contracts.EventIds.newId());
            ps.setString(2, serverId);
            ps.setString(3, CanonicalJson.toJson(TestStore.sample("server.created", serverId)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long unpublished() throws SQLException {
        return TestStore.unpublished(ds, OutboxTable.EVENT_STORE);
    }

    private static Object publishedAt(long seq) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT published_at FROM event_store WHERE global_seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }
}
