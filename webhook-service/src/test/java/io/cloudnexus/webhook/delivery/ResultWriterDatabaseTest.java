package io.cloudnexus.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.Rows;
import io.cloudnexus.webhook.security.SecretCipher;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The running result writer against the real database: an outcome PostgreSQL refuses does not wedge result
 * recording; the other outcomes of its batch (and every later one) are committed, the refused one is parked.
 */
@QuarkusTest
@ServiceTest
class ResultWriterDatabaseTest {

    @Inject
    DataSource dataSource;

    @Inject
    ResultWriter writer;

    @Inject
    SecretCipher cipher;

    record Setup(String endpointId, List<Long> deliveries) {}

    private Setup deliveries(int n) throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String endpoint = Rows.newEndpointId();
        Rows.endpoint(
                dataSource,
                endpoint,
                account,
                "http://127.0.0.1:9/unused",
                List.of("*"),
                cipher.encrypt("whsec_t", endpoint));
        String event = Rows.event(dataSource, account, Instant.now());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ev = i == 0 ? event : Rows.event(dataSource, account, Instant.now());
            ids.add(Rows.delivery(
                    dataSource, ev, endpoint, account, "pending", Instant.now(), null, "another-test-owner"));
        }
        return new Setup(endpoint, ids);
    }

    private static DeliveryUpdate delivered(String endpoint, long id) {
        return new DeliveryUpdate(
                task(endpoint, id),
                new AttemptResult(Instant.now(), 200, 12, null, "ok", null),
                new Outcome.Delivered());
    }

    private static DeliveryTask task(String endpoint, long id) {
        return new DeliveryTask(
                id, "evt_x", "server.created", endpoint, new byte[0], 0, 0, System.nanoTime(), "another-test-owner");
    }

    private Object value(String sql, Object... params) throws Exception {
        return Rows.value(dataSource, sql, params);
    }

    @Test
    void anOutcomeTheDatabaseRefusesIsParkedAndEveryOtherOutcomeIsCommitted() throws Exception {
        Setup s = deliveries(5);
        long poison = s.deliveries().get(0);
        // a timestamp PostgreSQL cannot store (year 300000): SQLState class 22, whatever the strings contain
        writer.add(new DeliveryUpdate(
                task(s.endpointId(), poison),
                new AttemptResult(Instant.parse("+300000-01-01T00:00:00Z"), 200, 12, null, "ok", null),
                new Outcome.Delivered()));
        for (long id : s.deliveries().subList(1, 5)) {
            writer.add(delivered(s.endpointId(), id));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (long id : s.deliveries().subList(1, 5)) {
                assertThat(value("SELECT status FROM webhook_delivery WHERE id = ?", id))
                        .isEqualTo("delivered");
                assertThat(value("SELECT count(*) FROM webhook_attempt WHERE delivery_id = ?", id))
                        .isEqualTo(1L);
            }
            assertThat(value("SELECT status FROM webhook_delivery WHERE id = ?", poison))
                    .isEqualTo("dead");
        });
        assertThat(value("SELECT lease_owner FROM webhook_delivery WHERE id = ?", poison))
                .isNull();
        assertThat((String) value("SELECT last_error FROM webhook_delivery WHERE id = ?", poison))
                .startsWith("outcome not recordable: SQLState 22");
        assertThat(value("SELECT resolution FROM webhook_parked_outcome WHERE delivery_id = ?", poison))
                .isEqualTo("dead_lettered");
        assertThat(value("SELECT count(*) FROM webhook_attempt WHERE delivery_id = ?", poison))
                .isEqualTo(0L);

        // and the writer goes on writing
        Setup later = deliveries(1);
        writer.add(delivered(later.endpointId(), later.deliveries().get(0)));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(value(
                                "SELECT status FROM webhook_delivery WHERE id = ?",
                                later.deliveries().get(0)))
                        .isEqualTo("delivered"));
    }

    @Test
    void aResponseExcerptWithANulByteIsRecordedWithoutIt() throws Exception {
        Setup s = deliveries(3);
        long nul = s.deliveries().get(0);
        writer.add(new DeliveryUpdate(
                task(s.endpointId(), nul),
                new AttemptResult(Instant.now(), 500, 12, null, "bad\u0000body", null),
                new Outcome.Retry(Instant.now().plusSeconds(3600))));
        for (long id : s.deliveries().subList(1, 3)) {
            writer.add(delivered(s.endpointId(), id));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (long id : s.deliveries().subList(1, 3)) {
                assertThat(value("SELECT status FROM webhook_delivery WHERE id = ?", id))
                        .isEqualTo("delivered");
            }
            assertThat(value("SELECT count(*) FROM webhook_attempt WHERE delivery_id = ?", nul))
                    .isEqualTo(1L);
        });
        assertThat(value("SELECT status FROM webhook_delivery WHERE id = ?", nul))
                .isEqualTo("retrying");
        assertThat(value("SELECT lease_owner FROM webhook_delivery WHERE id = ?", nul))
                .isNull();
        assertThat(value("SELECT last_status_code FROM webhook_delivery WHERE id = ?", nul))
                .isEqualTo(500);
        assertThat((String) value("SELECT response_excerpt FROM webhook_attempt WHERE delivery_id = ?", nul))
                .doesNotContain("\u0000");
    }
}
