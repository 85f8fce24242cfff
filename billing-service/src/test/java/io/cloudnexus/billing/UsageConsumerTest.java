package io.cloudnexus.billing;

import static io.cloudnexus.billing.BillingTesting.as;
import static io.cloudnexus.billing.BillingTesting.created;
import static io.cloudnexus.billing.BillingTesting.provisioned;
import static io.cloudnexus.billing.BillingTesting.terminated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The usage consumer on the SmallRye Kafka connector keeps "nothing lost": while PostgreSQL refuses an event's
 * transaction, that event is not metered, its offset is not committed and the events after it wait; once the
 * database accepts it again, everything is metered and the offset moves past it. Readiness includes the connector.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class UsageConsumerTest {

    private static final String GROUP = "billing-service";

    @Inject
    DataSource dataSource;

    @Test
    void anEventWhoseTransactionFailsIsRetriedAndItsOffsetCommittedOnlyOnceItIsDurable() throws Exception {
        String account = BillingTesting.newAccount();
        String srv = ResourceIds.newId(ResourceIds.SERVER);
        refuseConsumedEventsOf(account);
        RecordMetadata first;
        try {
            List<RecordMetadata> landed = BillingTesting.send(List.of(created(account, srv, "professional", "2025-09-01T00:00:00Z"),
                    provisioned(account, srv, "2025-09-01T00:00:00Z"), terminated(account, srv, "2025-09-01T02:00:00Z")));
            first = landed.get(0);
            TopicPartition partition = new TopicPartition(first.topic(), first.partition());
            // well past the connector's commit interval (auto.commit.interval.ms, 5 s) and many retries
            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(10))
                    .until(() -> consumed(account) == 0 && committed(partition) <= first.offset());
        } finally {
            allowConsumedEvents();
        }
        TopicPartition partition = new TopicPartition(first.topic(), first.partition());
        await().atMost(Duration.ofSeconds(30)).until(() -> consumed(account) == 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(partition) > first.offset());
        assertThat(as(account).get("/billing/usage?period=2025-09").then().statusCode(200).extract().jsonPath()
                .getLong("amount_due")).isEqualTo(12); // 2 h x 6, metered once
    }

    @Test
    void readinessIncludesTheKafkaConnector() {
        String body = io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertThat(body).contains("SmallRye Reactive Messaging").contains("usage-events");
    }

    private void refuseConsumedEventsOf(String account) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION test_refuse_account() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF NEW.account_id = '" + account + "' THEN RAISE EXCEPTION 'refused by the test'; END IF; "
                    + "RETURN NEW; END $$");
            s.execute("CREATE TRIGGER test_refuse_account BEFORE INSERT ON consumed_event FOR EACH ROW "
                    + "EXECUTE FUNCTION test_refuse_account()");
        }
    }

    private void allowConsumedEvents() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER IF EXISTS test_refuse_account ON consumed_event");
        }
    }

    private long consumed(String account) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM consumed_event WHERE account_id = ?")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long committed(TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerResource.bootstrapServers()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                    .get(partition);
            return offset == null ? -1 : offset.offset();
        }
    }
}
