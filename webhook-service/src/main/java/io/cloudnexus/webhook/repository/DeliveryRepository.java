package io.cloudnexus.webhook.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.delivery.DeliveryTask;

/**
 * The durable retry queue: claims due deliveries with {@code FOR UPDATE SKIP LOCKED} and a lease (so
 * replicas share the work and a crashed replica's deliveries come back once its lease expired), and
 * restarts deliveries for redelivery and dead-letter replay.
 */
@ApplicationScoped
public class DeliveryRepository {

    private static final String RETURNING = " RETURNING d.id, d.event_id, d.endpoint_id, d.event_type, d.attempts, "
            + "d.failures, ev.body";
    private static final String CLAIM = "WITH due AS (SELECT d.id FROM webhook_delivery d "
            + "JOIN webhook_endpoint w ON w.id = d.endpoint_id AND w.status = 'active' "
            + "WHERE d.status IN ('pending', 'retrying') AND d.next_attempt_at <= now() "
            + "AND (d.lease_until IS NULL OR d.lease_until < now()) "
            + "ORDER BY d.next_attempt_at LIMIT ? FOR UPDATE OF d SKIP LOCKED) "
            + "UPDATE webhook_delivery d SET lease_owner = ?, lease_until = now() + make_interval(secs => ?) "
            + "FROM due, webhook_event ev WHERE d.id = due.id AND ev.event_id = d.event_id" + RETURNING;
    private static final String RESTART = "UPDATE webhook_delivery d SET status = 'pending', failures = 0, "
            + "next_attempt_at = now(), finished_at = NULL, updated_at = now(), lease_owner = ?, "
            + "lease_until = now() + make_interval(secs => ?) FROM webhook_event ev "
            + "WHERE ev.event_id = d.event_id AND d.account_id = ? ";

    private final DataSource dataSource;

    public DeliveryRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Leases up to {@code limit} due deliveries of active endpoints to {@code owner}. */
    public List<DeliveryTask> claimDue(String owner, Duration lease, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setInt(1, limit);
            ps.setString(2, owner);
            ps.setDouble(3, lease.toMillis() / 1000.0);
            return read(ps);
        }
    }

    /** Redelivers one delivery of the account (any status). */
    public List<DeliveryTask> redeliver(String accountId, long deliveryId, String owner, Duration lease) throws SQLException {
        return restart(RESTART + "AND d.id = ?", accountId, owner, lease, ps -> ps.setLong(4, deliveryId));
    }

    /** Replays one dead letter of the endpoint. */
    public List<DeliveryTask> replayDead(String accountId, String endpointId, long deliveryId, String owner, Duration lease)
            throws SQLException {
        return restart(RESTART + "AND d.endpoint_id = ? AND d.status = 'dead' AND d.id = ?", accountId, owner, lease, ps -> {
            ps.setString(4, endpointId);
            ps.setLong(5, deliveryId);
        });
    }

    /** Replays every dead letter of the endpoint dead-lettered in [from, to). */
    public List<DeliveryTask> replayDead(String accountId, String endpointId, Instant from, Instant to, String owner,
            Duration lease) throws SQLException {
        return restart(RESTART + "AND d.endpoint_id = ? AND d.status = 'dead' AND d.finished_at >= ? AND d.finished_at < ?",
                accountId, owner, lease, ps -> {
                    ps.setString(4, endpointId);
                    ps.setObject(5, java.sql.Timestamp.from(from));
                    ps.setObject(6, java.sql.Timestamp.from(to));
                });
    }

    /** Deletes dead letters of the endpoint dead-lettered in [from, to); returns how many. */
    public int purgeDead(String accountId, String endpointId, Instant from, Instant to) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM webhook_delivery WHERE account_id = ? AND endpoint_id = ? AND status = 'dead' "
                        + "AND finished_at >= ? AND finished_at < ?")) {
            ps.setString(1, accountId);
            ps.setString(2, endpointId);
            ps.setObject(3, java.sql.Timestamp.from(from));
            ps.setObject(4, java.sql.Timestamp.from(to));
            return ps.executeUpdate();
        }
    }

    /** Deletes one dead letter; false if there is no such dead letter of the endpoint. */
    public boolean purgeDead(String accountId, String endpointId, long deliveryId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM webhook_delivery WHERE account_id = ? AND endpoint_id = ? AND status = 'dead' AND id = ?")) {
            ps.setString(1, accountId);
            ps.setString(2, endpointId);
            ps.setLong(3, deliveryId);
            return ps.executeUpdate() > 0;
        }
    }

    /** Counts of unfinished and dead deliveries by status (for the queue-depth gauges). */
    public java.util.Map<String, Long> countByStatus() throws SQLException {
        java.util.Map<String, Long> counts = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status, count(*) FROM webhook_delivery WHERE status <> 'delivered' GROUP BY status");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<DeliveryTask> restart(String sql, String accountId, String owner, Duration lease, Binder binder)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql + RETURNING)) {
            ps.setString(1, owner);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            ps.setString(3, accountId);
            binder.bind(ps);
            return read(ps);
        }
    }

    private static List<DeliveryTask> read(PreparedStatement ps) throws SQLException {
        List<DeliveryTask> tasks = new ArrayList<>();
        long now = System.nanoTime();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tasks.add(new DeliveryTask(rs.getLong(1), rs.getString(2), rs.getString(4), rs.getString(3),
                        rs.getBytes(7), rs.getInt(5), rs.getInt(6), now));
            }
        }
        return tasks;
    }
}
