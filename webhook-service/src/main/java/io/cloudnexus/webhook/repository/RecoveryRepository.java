package io.cloudnexus.webhook.repository;

import static io.cloudnexus.webhook.domain.DeliveryStatus.DEAD;
import static io.cloudnexus.webhook.domain.DeliveryStatus.PENDING;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Recovery of an endpoint's missed events: the account's stored events of a time window (by when they occurred),
 * read in store order ({@code seq}) in batches (keyset: never the window in memory), filtered by the caller (the
 * endpoint's current subscription), and queued again for the endpoint, one set-based statement per batch: an
 * event without a delivery to it gets one (pending, due now, unleased: the scheduler claims it as the lane has
 * room), a dead-lettered one goes back to pending with its failures reset (as a dead-letter replay does); pending,
 * retrying and delivered ones are left as they are. Test events are never recovered.
 */
@ApplicationScoped
public class RecoveryRepository {

    private static final String BOUNDS = "SELECT min(seq), max(seq) FROM webhook_event "
            + "WHERE account_id = ? AND NOT test AND occurred_at >= ? AND occurred_at < ?";
    private static final String BATCH = "SELECT seq, event_id, type FROM webhook_event WHERE account_id = ? "
            + "AND NOT test AND occurred_at >= ? AND occurred_at < ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?";
    /**
     * One batch: new deliveries (the endpoint must still exist and be the account's) and dead ones revived, in one
     * statement; returns how many of each together.
     */
    private static final String QUEUE = "WITH x AS (SELECT * FROM unnest(?::text[], ?::text[]) AS u(e, t)), "
            + "ins AS (INSERT INTO webhook_delivery (event_id, endpoint_id, account_id, event_type, test, status, "
            + "next_attempt_at, started_attempts) SELECT x.e, w.id, w.account_id, x.t, FALSE, " + PENDING.sql()
            + ", now(), 0 FROM x JOIN webhook_endpoint w ON w.id = ? AND w.account_id = ? "
            + "ON CONFLICT (event_id, endpoint_id) DO NOTHING RETURNING 1), "
            + "rev AS (UPDATE webhook_delivery d SET status = " + PENDING.sql()
            + ", failures = 0, next_attempt_at = now(), "
            + "finished_at = NULL, updated_at = now(), lease_owner = NULL, lease_until = NULL, started_attempts = d.attempts "
            + "FROM x WHERE d.endpoint_id = ? AND d.account_id = ? AND d.event_id = x.e AND d.status = " + DEAD.sql()
            + " RETURNING 1) "
            + "SELECT (SELECT count(*) FROM ins) + (SELECT count(*) FROM rev)";

    private final DataSource dataSource;

    public RecoveryRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Queues again for {@code endpointId} every non-test event of the account that occurred in [since, until) and
     * was stored before the recovery started, whose type {@code wanted} accepts, reading {@code batchSize} events
     * per batch (each batch's statement commits on its own). Returns how many deliveries were created or revived.
     */
    public int recover(
            String accountId, String endpointId, Instant since, Instant until, Predicate<String> wanted, int batchSize)
            throws SQLException {
        int batch = Math.max(1, batchSize);
        Timestamp from = Timestamp.from(since);
        Timestamp to = Timestamp.from(until);
        int total = 0;
        try (Connection c = dataSource.getConnection()) {
            long last;
            long end;
            try (PreparedStatement ps = c.prepareStatement(BOUNDS)) {
                ps.setString(1, accountId);
                ps.setTimestamp(2, from);
                ps.setTimestamp(3, to);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getObject(1) == null) {
                        return 0;
                    }
                    last = rs.getLong(1) - 1;
                    end = rs.getLong(2);
                }
            }
            try (PreparedStatement read = c.prepareStatement(BATCH);
                    PreparedStatement queue = c.prepareStatement(QUEUE)) {
                while (true) {
                    read.setString(1, accountId);
                    read.setTimestamp(2, from);
                    read.setTimestamp(3, to);
                    read.setLong(4, last);
                    read.setLong(5, end);
                    read.setInt(6, batch);
                    List<String> ids = new ArrayList<>();
                    List<String> types = new ArrayList<>();
                    int seen = 0;
                    try (ResultSet rs = read.executeQuery()) {
                        while (rs.next()) {
                            seen++;
                            last = rs.getLong(1);
                            String type = rs.getString(3);
                            if (wanted.test(type)) {
                                ids.add(rs.getString(2));
                                types.add(type);
                            }
                        }
                    }
                    if (!ids.isEmpty()) {
                        queue.setArray(1, c.createArrayOf("text", ids.toArray()));
                        queue.setArray(2, c.createArrayOf("text", types.toArray()));
                        queue.setString(3, endpointId);
                        queue.setString(4, accountId);
                        queue.setString(5, endpointId);
                        queue.setString(6, accountId);
                        try (ResultSet rs = queue.executeQuery()) {
                            rs.next();
                            total += rs.getInt(1);
                        }
                    }
                    if (seen < batch) {
                        return total;
                    }
                }
            }
        }
    }
}
