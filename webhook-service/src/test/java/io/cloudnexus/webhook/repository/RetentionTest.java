package io.cloudnexus.webhook.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.Rows;
import io.cloudnexus.webhook.domain.DeliveryStatus;
import io.cloudnexus.webhook.security.SecretCipher;
import io.quarkus.test.junit.QuarkusTest;

/** Retention deletes old finished data in batches and keeps recent and unfinished rows; the queue-depth counts read indexes only. */
@QuarkusTest
@ServiceTest
class RetentionTest {

    @Inject
    DataSource dataSource;

    @Inject
    RetentionRepository retention;

    @Inject
    QueueDepthQueries depth;

    @Inject
    SecretCipher cipher;

    private final Instant old = Instant.now().minus(Duration.ofDays(40));
    private final Instant recent = Instant.now().minus(Duration.ofDays(1));
    private final Instant cutoff = Instant.now().minus(Duration.ofDays(30));

    private boolean exists(String table, String column, Object id) throws Exception {
        return (Long) Rows.value(dataSource, "SELECT count(*) FROM " + table + " WHERE " + column + " = ?", id) > 0;
    }

    private long outbox(Instant occurred, Instant published) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_outbox "
                        + "(event_id, account_id, type, subject, data, occurred_at, published_at) VALUES (?, 'acc_t', "
                        + "'webhook.endpoint.disabled', 'whk_t', '{}', ?, ?) RETURNING id")) {
            ps.setString(1, io.cloudnexus.contracts.EventIds.newId());
            ps.setTimestamp(2, Timestamp.from(occurred));
            ps.setTimestamp(3, published == null ? null : Timestamp.from(published));
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void oldFinishedRowsGoInBatchesWhileRecentAndUnfinishedOnesStay() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String endpoint = Rows.newEndpointId();
        Rows.endpoint(
                dataSource,
                endpoint,
                account,
                "http://127.0.0.1:9/r",
                List.of("*"),
                cipher.encrypt("whsec_r", endpoint));

        String oldEvent = Rows.event(dataSource, account, old);
        long oldDelivered = Rows.delivery(dataSource, oldEvent, endpoint, account, "delivered", old, old, null);
        Rows.attempt(dataSource, oldDelivered, old);
        long oldDead = Rows.delivery(
                dataSource, Rows.event(dataSource, account, old), endpoint, account, "dead", old, old, null);
        List<Long> moreOld = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            moreOld.add(Rows.delivery(
                    dataSource, Rows.event(dataSource, account, old), endpoint, account, "delivered", old, old, null));
        }
        String eventFinishedRecently = Rows.event(dataSource, account, old);
        long finishedRecently =
                Rows.delivery(dataSource, eventFinishedRecently, endpoint, account, "delivered", old, recent, null);
        String eventUnfinished = Rows.event(dataSource, account, old);
        long unfinished =
                Rows.delivery(dataSource, eventUnfinished, endpoint, account, "retrying", old, null, "nobody");
        String oldOrphan = Rows.event(dataSource, account, old);
        String recentOrphan = Rows.event(dataSource, account, recent);
        long publishedOld = outbox(old, old);
        long unpublishedOld = outbox(old, null);
        long publishedRecent = outbox(recent, recent);
        Rows.update(
                dataSource,
                "INSERT INTO webhook_parked_outcome (delivery_id, endpoint_id, status, error, resolution, parked_at) "
                        + "VALUES (?, ?, 'delivered', 'x', 'dead_lettered', ?)",
                -1L,
                endpoint,
                Timestamp.from(old));

        RetentionRepository.Result r = retention.run(cutoff, 2, Instant.now().plusSeconds(60));

        assertThat(r.ran()).isTrue();
        assertThat(r.deliveries()).isGreaterThanOrEqualTo(7);
        assertThat(r.statements()).as("batches of 2").isGreaterThanOrEqualTo(4 + 3);
        assertThat(exists("webhook_delivery", "id", oldDelivered)).isFalse();
        assertThat(exists("webhook_attempt", "delivery_id", oldDelivered)).isFalse();
        assertThat(exists("webhook_delivery", "id", oldDead)).isFalse();
        for (long id : moreOld) {
            assertThat(exists("webhook_delivery", "id", id)).isFalse();
        }
        assertThat(exists("webhook_event", "event_id", oldEvent)).isFalse();
        assertThat(exists("webhook_event", "event_id", oldOrphan)).isFalse();
        assertThat(exists("webhook_delivery", "id", finishedRecently)).isTrue();
        assertThat(exists("webhook_event", "event_id", eventFinishedRecently)).isTrue();
        assertThat(exists("webhook_delivery", "id", unfinished)).isTrue();
        assertThat(exists("webhook_event", "event_id", eventUnfinished)).isTrue();
        assertThat(exists("webhook_event", "event_id", recentOrphan)).isTrue();
        assertThat(exists("webhook_outbox", "id", publishedOld)).isFalse();
        assertThat(exists("webhook_outbox", "id", unpublishedOld)).isTrue();
        assertThat(exists("webhook_outbox", "id", publishedRecent)).isTrue();
        assertThat(exists("webhook_parked_outcome", "delivery_id", -1L)).isFalse();
    }

    @Test
    void onlyOneReplicaRunsItAtATime() throws Exception {
        try (Connection other = dataSource.getConnection();
                PreparedStatement ps = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
            ps.setLong(1, RetentionRepository.LOCK);
            ps.execute();
            assertThat(retention.run(cutoff, 10, Instant.now().plusSeconds(10)).ran())
                    .isFalse();
            try (PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, RetentionRepository.LOCK);
                unlock.execute();
            }
        }
        assertThat(retention.run(cutoff, 10, Instant.now().plusSeconds(10)).ran())
                .isTrue();
    }

    @Test
    void queueDepthCountsAreCappedAndReadOnlyThePartialIndexes() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String endpoint = Rows.newEndpointId();
        Rows.endpoint(
                dataSource,
                endpoint,
                account,
                "http://127.0.0.1:9/q",
                List.of("*"),
                cipher.encrypt("whsec_q", endpoint));
        for (int i = 0; i < 3; i++) {
            Rows.delivery(
                    dataSource,
                    Rows.event(dataSource, account, recent),
                    endpoint,
                    account,
                    "retrying",
                    recent,
                    null,
                    "nobody");
            Rows.delivery(
                    dataSource,
                    Rows.event(dataSource, account, recent),
                    endpoint,
                    account,
                    "dead",
                    recent,
                    recent,
                    null);
        }
        Map<DeliveryStatus, Long> capped = depth.counts(2);
        assertThat(capped.get(DeliveryStatus.RETRYING)).isEqualTo(2L);
        assertThat(capped.get(DeliveryStatus.DEAD)).isEqualTo(2L);
        assertThat(depth.counts(1_000_000).get(DeliveryStatus.RETRYING)).isGreaterThanOrEqualTo(3L);
        String plan = depth.plan();
        assertThat(plan).doesNotContain("Seq Scan").contains("webhook_delivery_endpoint_due", "webhook_delivery_dead");
    }
}
