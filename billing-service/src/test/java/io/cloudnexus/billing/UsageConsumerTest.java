package io.cloudnexus.billing;

import static io.cloudnexus.billing.BillingTesting.as;
import static io.cloudnexus.billing.BillingTesting.created;
import static io.cloudnexus.billing.BillingTesting.provisioned;
import static io.cloudnexus.billing.BillingTesting.terminated;
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

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.RefusingTrigger;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The usage consumer on the SmallRye Kafka connector keeps "nothing lost": while PostgreSQL refuses an event's
 * transaction, that event is not metered, its offset is not committed and the events after it wait; once the
 * database accepts it again, everything is metered and the offset moves past it. A record the connector's CloudEvents
 * parsing would refuse is handled as before. Readiness includes the connector.
 */
@QuarkusTest
@ServiceTest
class UsageConsumerTest {

    private static final String GROUP = "billing-service";

    @Inject
    DataSource dataSource;

    @Test
    void anEventWhoseTransactionFailsIsRetriedAndItsOffsetCommittedOnlyOnceItIsDurable() throws Exception {
        String account = BillingTesting.newAccount();
        String srv = ResourceIds.newId(ResourceIds.SERVER);
        RecordMetadata first;
        TopicPartition partition;
        try (RefusingTrigger refused = RefusingTrigger.refuse(dataSource, "consumed_event", account)) {
            first = BillingTesting.send(List.of(
                            created(account, srv, "professional", "2025-09-01T00:00:00Z"),
                            provisioned(account, srv, "2025-09-01T00:00:00Z"),
                            terminated(account, srv, "2025-09-01T02:00:00Z")))
                    .get(0);
            partition = new TopicPartition(first.topic(), first.partition());
            // well past the connector's commit interval (auto.commit.interval.ms, 5 s) and many retries
            await().during(Duration.ofSeconds(7))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> refused.rows() == 0 && committedOffset(GROUP, partition) <= first.offset());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> committedOffset(GROUP, partition) > first.offset());
        assertThat(as(account)
                        .get("/billing/usage?period=2025-09")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getLong("amount_due"))
                .isEqualTo(12); // 2 h x 6, metered once
    }

    @Test
    void aCloudEventWithoutCeSourceIsMeteredAsBeforeNotFatalToTheChannel() {
        String account = BillingTesting.newAccount();
        String srv = ResourceIds.newId(ResourceIds.SERVER);
        var created = created(account, srv, "starter", "2025-10-01T00:00:00Z");
        created.headers().remove(io.cloudnexus.contracts.CloudEventHeaders.SOURCE); // billing never needed it
        BillingTesting.send(List.of(
                created,
                provisioned(account, srv, "2025-10-01T00:00:00Z"),
                terminated(account, srv, "2025-10-01T05:00:00Z")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> as(account)
                                .get("/billing/usage?period=2025-10")
                                .jsonPath()
                                .getLong("amount_due")
                        == 5);
    }

    @Test
    void readinessIncludesTheKafkaConnector() {
        String body = io.restassured.RestAssured.given()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(body).contains("SmallRye Reactive Messaging").contains("usage-events");
    }
}
