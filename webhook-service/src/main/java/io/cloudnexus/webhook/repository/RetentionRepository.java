package io.cloudnexus.webhook.repository;

import static io.cloudnexus.webhook.domain.DeliveryStatus.DEAD;
import static io.cloudnexus.webhook.domain.DeliveryStatus.DELIVERED;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.webhook.domain.DeliveryStatus;

/**
 * Deletes old finished data in bounded batches (one short autocommit statement of at most {@code batch}
 * rows each, by {@code ctid}), by one replica at a time ({@code pg_try_advisory_lock}):
 * finished deliveries (delivered, or dead-lettered) finished before the cutoff, with their attempts (ON DELETE
 * CASCADE); then events older than the cutoff that no delivery references any more; published outbox rows and
 * parked outcomes older than the cutoff. Unfinished deliveries are never touched; each statement re-checks its
 * condition, so a dead letter replayed meanwhile stays.
 */
@ApplicationScoped
public class RetentionRepository {

    private static final Logger LOG = Logger.getLogger(RetentionRepository.class);
    /** Advisory lock key of the retention job ("WHKRETEN"). */
    static final long LOCK = 0x57484B524554454EL;

    private static final String FINISHED = DeliveryStatus.sqlList(DELIVERED, DEAD);
    static final String DELIVERIES =
            "DELETE FROM webhook_delivery WHERE ctid = ANY(ARRAY(SELECT ctid FROM webhook_delivery "
                    + "WHERE status IN " + FINISHED + " AND finished_at < ? LIMIT ?)) "
                    + "AND status IN " + FINISHED + " AND finished_at < ?";
    static final String EVENTS = "DELETE FROM webhook_event WHERE ctid = ANY(ARRAY(SELECT e.ctid FROM webhook_event e "
            + "WHERE e.created_at < ? AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = e.event_id) LIMIT ?)) "
            + "AND created_at < ? AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = webhook_event.event_id)";
    static final String OUTBOX = "DELETE FROM webhook_outbox WHERE ctid = ANY(ARRAY(SELECT ctid FROM webhook_outbox "
            + "WHERE published_at IS NOT NULL AND published_at < ? LIMIT ?)) AND published_at < ?";
    static final String PARKED = "DELETE FROM webhook_parked_outcome WHERE ctid = ANY(ARRAY(SELECT ctid FROM "
            + "webhook_parked_outcome WHERE parked_at < ? LIMIT ?)) AND parked_at < ?";

    /** What one run did; {@code ran} is false when another replica held the lock. */
    public record Result(boolean ran, long deliveries, long events, long outbox, long parked, int statements) {}

    private final DataSource dataSource;

    public RetentionRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Deletes what finished before {@code cutoff}, {@code batch} rows per statement, until done or {@code deadline}. */
    public Result run(Instant cutoff, int batch, Instant deadline) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!lock(c, "pg_try_advisory_lock")) {
                return new Result(false, 0, 0, 0, 0, 0);
            }
            try {
                int[] statements = {0};
                long deliveries = loop(c, DELIVERIES, cutoff, batch, deadline, statements);
                long events = loop(c, EVENTS, cutoff, batch, deadline, statements);
                long outbox = loop(c, OUTBOX, cutoff, batch, deadline, statements);
                long parked = loop(c, PARKED, cutoff, batch, deadline, statements);
                return new Result(true, deliveries, events, outbox, parked, statements[0]);
            } finally {
                lock(c, "pg_advisory_unlock");
            }
        }
    }

    private static long loop(Connection c, String sql, Instant cutoff, int batch, Instant deadline, int[] statements) {
        long total = 0;
        Timestamp at = Timestamp.from(cutoff);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, at);
            ps.setInt(2, batch);
            ps.setTimestamp(3, at);
            while (true) {
                int n = ps.executeUpdate();
                statements[0]++;
                total += n;
                if (n < batch || Instant.now().isAfter(deadline)) {
                    return total;
                }
            }
        } catch (SQLException e) {
            // e.g. an event referenced by a delivery committed meanwhile: the next run continues
            LOG.warnf(
                    "retention statement failed after %d rows, continuing at the next run: %s", total, e.getMessage());
            return total;
        }
    }

    private static boolean lock(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?)")) {
            ps.setLong(1, LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
