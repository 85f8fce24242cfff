package io.cloudnexus.webhook.repository;

import static io.cloudnexus.webhook.domain.DeliveryStatus.DEAD;
import static io.cloudnexus.webhook.domain.DeliveryStatus.PENDING;
import static io.cloudnexus.webhook.domain.DeliveryStatus.RETRYING;

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
import io.cloudnexus.webhook.domain.DeliveryStatus;
import io.cloudnexus.webhook.domain.EndpointStatus;

/**
 * The durable retry queue: claims due deliveries with {@code FOR UPDATE SKIP LOCKED} and a lease (so
 * replicas share the work, and a crashed replica's deliveries come back as soon as its heartbeat is older than
 * dead-after), renews and releases leases, and restarts deliveries for redelivery and dead-letter replay.
 */
@ApplicationScoped
public class DeliveryRepository {

    private static final String RETURNING = " RETURNING d.id, d.event_id, d.endpoint_id, d.event_type, d.attempts, "
            + "d.failures, ev.body, d.lease_owner";
    /**
     * Free = not leased, lease expired, or leased by a replica whose heartbeat is older than dead-after (or that
     * has no heartbeat row). Per active endpoint, at most the room its lane has on the claiming replica (the
     * endpoints without a lane there: a default room; a full lane: none), the oldest first; of those, the
     * oldest {@code limit} overall. So one endpoint's backlog never fills a batch that other endpoints' lanes
     * wait for. A delivery whose previous holder had started an attempt and never recorded it counts that
     * attempt.
     */
    private static final String CLAIM = "WITH due AS (SELECT x.id FROM webhook_endpoint w "
            + "LEFT JOIN unnest(?::text[], ?::int[]) AS r(endpoint_id, room) ON r.endpoint_id = w.id "
            + "CROSS JOIN LATERAL (SELECT d.id, d.next_attempt_at FROM webhook_delivery d "
            + "WHERE d.endpoint_id = w.id AND d.status IN " + DeliveryStatus.sqlList(PENDING, RETRYING)
            + " AND d.next_attempt_at <= now() "
            + "AND (d.lease_owner IS NULL OR d.lease_until < now() OR NOT EXISTS (SELECT 1 FROM webhook_engine e "
            + "WHERE e.id = d.lease_owner AND e.heartbeat_at > now() - make_interval(secs => ?))) "
            + "ORDER BY d.next_attempt_at LIMIT COALESCE(r.room, ?) FOR UPDATE OF d SKIP LOCKED) x "
            + "WHERE w.status = " + EndpointStatus.ACTIVE.sql() + " AND COALESCE(r.room, ?) > 0 "
            + "ORDER BY x.next_attempt_at LIMIT ?) "
            // (a row of the claimer's own, e.g. whose renewal came late, is held already: nothing to count)
            + "UPDATE webhook_delivery d SET lease_owner = ?, lease_until = now() + make_interval(secs => ?), "
            + "attempts = CASE WHEN d.lease_owner = ? THEN d.attempts ELSE GREATEST(d.attempts, d.started_attempts) END, "
            + "started_attempts = CASE WHEN d.lease_owner = ? THEN d.started_attempts "
            + "ELSE GREATEST(d.attempts, d.started_attempts) + 1 END "
            + "FROM due, webhook_event ev WHERE d.id = due.id AND ev.event_id = d.event_id" + RETURNING;

    private static final String RESTART = "UPDATE webhook_delivery d SET status = " + PENDING.sql() + ", failures = 0, "
            + "next_attempt_at = now(), finished_at = NULL, updated_at = now(), lease_owner = ?, "
            + "lease_until = now() + make_interval(secs => ?), attempts = GREATEST(d.attempts, d.started_attempts), "
            + "started_attempts = GREATEST(d.attempts, d.started_attempts) + 1 FROM webhook_event ev "
            + "WHERE ev.event_id = d.event_id AND d.account_id = ? ";
    /** Due now, unleased: the scheduler claims them (a bulk replay never holds its rows in memory). */
    private static final String REPLAY_BATCH =
            "UPDATE webhook_delivery d SET status = " + PENDING.sql() + ", failures = 0, "
                    + "next_attempt_at = now(), finished_at = NULL, updated_at = now(), lease_owner = NULL, lease_until = NULL, "
                    + "started_attempts = d.attempts WHERE d.id IN (SELECT id FROM webhook_delivery WHERE account_id = ? "
                    + "AND endpoint_id = ? AND status = " + DEAD.sql() + " AND finished_at >= ? AND finished_at < ? "
                    + "ORDER BY finished_at, id LIMIT ? FOR UPDATE SKIP LOCKED)";

    /**
     * The rows of {@code id = ANY(?)} locked in id order: every statement that changes many deliveries by id
     * locks them in this order first (the renewal and release here, the result writer's batch in
     * {@link OutcomeRepository}), so two of them running at once wait for each other instead of deadlocking
     * (each would otherwise lock in its own plan's order).
     */
    static final String LOCKED_IN_ID_ORDER = "SELECT id FROM webhook_delivery WHERE id = ANY(?::bigint[]) ";

    private static final String RELEASE = "UPDATE webhook_delivery d SET lease_owner = NULL, lease_until = NULL, "
            + "started_attempts = d.attempts FROM (" + LOCKED_IN_ID_ORDER
            + "AND lease_owner = ? ORDER BY id FOR NO KEY UPDATE) l WHERE d.id = l.id";
    private static final String RENEW = "UPDATE webhook_delivery d SET lease_until = now() + make_interval(secs => ?) "
            + "FROM (" + LOCKED_IN_ID_ORDER + "AND lease_owner = ? ORDER BY id FOR NO KEY UPDATE) l "
            + "WHERE d.id = l.id RETURNING d.id";
    private static final int ID_CHUNK = 10_000;

    private final DataSource dataSource;

    public DeliveryRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Leases up to {@code limit} due, free deliveries of active endpoints to {@code owner}: per endpoint at most
     * {@code roomByEndpoint}'s value (0 = none), or {@code defaultRoom} for an endpoint not in the map.
     */
    public List<DeliveryTask> claimDue(
            String owner,
            Duration lease,
            Duration deadAfter,
            java.util.Map<String, Integer> roomByEndpoint,
            int defaultRoom,
            int limit)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(CLAIM)) {
            List<String> ids = new ArrayList<>(roomByEndpoint.keySet());
            Integer[] rooms =
                    ids.stream().map(id -> Math.max(0, roomByEndpoint.get(id))).toArray(Integer[]::new);
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.setArray(2, c.createArrayOf("integer", rooms));
            ps.setDouble(3, deadAfter.toMillis() / 1000.0);
            ps.setInt(4, Math.max(0, defaultRoom));
            ps.setInt(5, Math.max(0, defaultRoom));
            ps.setInt(6, limit);
            ps.setString(7, owner);
            ps.setDouble(8, lease.toMillis() / 1000.0);
            ps.setString(9, owner);
            ps.setString(10, owner);
            return read(ps);
        }
    }

    /** Renews the leases {@code owner} still has among {@code ids}; returns those (the others were taken over). */
    public java.util.Set<Long> renew(String owner, List<Long> ids, Duration lease) throws SQLException {
        java.util.Set<Long> kept = new java.util.HashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(RENEW)) {
            for (int from = 0; from < ids.size(); from += ID_CHUNK) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + ID_CHUNK));
                ps.setDouble(1, lease.toMillis() / 1000.0);
                ps.setArray(2, c.createArrayOf("bigint", chunk.toArray()));
                ps.setString(3, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        kept.add(rs.getLong(1));
                    }
                }
            }
        }
        return kept;
    }

    /** Gives up {@code owner}'s leases of these deliveries (not held in memory): any replica may claim them. */
    public void release(String owner, List<Long> ids) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(RELEASE)) {
            for (int from = 0; from < ids.size(); from += ID_CHUNK) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + ID_CHUNK));
                ps.setArray(1, c.createArrayOf("bigint", chunk.toArray()));
                ps.setString(2, owner);
                ps.executeUpdate();
            }
        }
    }

    /** Clean stop: gives up every lease of {@code owner}; returns how many. */
    public int releaseAll(String owner) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE webhook_delivery SET lease_owner = NULL, lease_until = NULL, started_attempts = attempts "
                                + "WHERE lease_owner = ?")) {
            ps.setString(1, owner);
            return ps.executeUpdate();
        }
    }

    /** Redelivers one delivery of the account (any status). */
    public List<DeliveryTask> redeliver(String accountId, long deliveryId, String owner, Duration lease)
            throws SQLException {
        return restart(RESTART + "AND d.id = ?", accountId, owner, lease, ps -> ps.setLong(4, deliveryId));
    }

    /** Replays one dead letter of the endpoint. */
    public List<DeliveryTask> replayDead(
            String accountId, String endpointId, long deliveryId, String owner, Duration lease) throws SQLException {
        return restart(
                RESTART + "AND d.endpoint_id = ? AND d.status = " + DEAD.sql() + " AND d.id = ?",
                accountId,
                owner,
                lease,
                ps -> {
                    ps.setString(4, endpointId);
                    ps.setLong(5, deliveryId);
                });
    }

    /**
     * Replays every dead letter of the endpoint dead-lettered in [from, to), set-based in batches of
     * {@code batchSize} rows per statement (never all rows in memory): each batch is marked due and unleased, and
     * the scheduler claims them as lanes have room. Rows dead-lettered again while the replay runs are not
     * replayed twice (the window ends at the replay's start at the latest). Returns how many.
     */
    public int replayDead(String accountId, String endpointId, Instant from, Instant to, int batchSize)
            throws SQLException {
        int total = 0;
        try (Connection c = dataSource.getConnection()) {
            java.sql.Timestamp end;
            try (PreparedStatement ps = c.prepareStatement("SELECT LEAST(now(), ?)")) {
                ps.setObject(1, java.sql.Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    end = rs.getTimestamp(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(REPLAY_BATCH)) {
                while (true) {
                    ps.setString(1, accountId);
                    ps.setString(2, endpointId);
                    ps.setObject(3, java.sql.Timestamp.from(from));
                    ps.setObject(4, end);
                    ps.setInt(5, batchSize);
                    int n = ps.executeUpdate();
                    total += n;
                    if (n < batchSize) {
                        return total;
                    }
                }
            }
        }
    }

    /** Deletes dead letters of the endpoint dead-lettered in [from, to); returns how many. */
    public int purgeDead(String accountId, String endpointId, Instant from, Instant to) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM webhook_delivery WHERE account_id = ? AND endpoint_id = ? AND status = "
                                + DEAD.sql() + " " + "AND finished_at >= ? AND finished_at < ?")) {
            ps.setString(1, accountId);
            ps.setString(2, endpointId);
            ps.setObject(3, java.sql.Timestamp.from(from));
            ps.setObject(4, java.sql.Timestamp.from(to));
            return ps.executeUpdate();
        }
    }

    /** Deletes one dead letter; false if there is no such dead letter of the endpoint. */
    public boolean purgeDead(String accountId, String endpointId, long deliveryId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM webhook_delivery WHERE account_id = ? AND endpoint_id = ? AND status = "
                                + DEAD.sql() + " AND id = ?")) {
            ps.setString(1, accountId);
            ps.setString(2, endpointId);
            ps.setLong(3, deliveryId);
            return ps.executeUpdate() > 0;
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<DeliveryTask> restart(String sql, String accountId, String owner, Duration lease, Binder binder)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql + RETURNING)) {
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
                tasks.add(new DeliveryTask(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(4),
                        rs.getString(3),
                        rs.getBytes(7),
                        rs.getInt(5),
                        rs.getInt(6),
                        now,
                        rs.getString(8)));
            }
        }
        return tasks;
    }
}
