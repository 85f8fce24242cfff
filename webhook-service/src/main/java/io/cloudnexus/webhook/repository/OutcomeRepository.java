package io.cloudnexus.webhook.repository;

import static io.cloudnexus.webhook.domain.DeliveryStatus.DEAD;
import static io.cloudnexus.webhook.domain.DeliveryStatus.DELIVERED;
import static io.cloudnexus.webhook.domain.DeliveryStatus.PENDING;
import static io.cloudnexus.webhook.domain.DeliveryStatus.RETRYING;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.webhook.delivery.DeliveryUpdate;
import io.cloudnexus.webhook.domain.DeliveryStatus;
import io.cloudnexus.webhook.domain.EndpointStatus;

/**
 * Writes a batch of attempt outcomes in ONE transaction: the attempt rows, the deliveries' new state,
 * the endpoints' failure streaks, and the disabling of endpoints that answered 410 or kept failing for the
 * whole failure window (their unfinished deliveries move to the dead-letter queue and a
 * {@code webhook.endpoint.disabled} event is written to the outbox in the same transaction).
 *
 * <p>Unless {@code synchronousCommit}, the transaction commits without waiting for its WAL flush
 * ({@code synchronous_commit = off} for this transaction only). Losing such a commit takes a PostgreSQL crash,
 * and all it loses is the record of attempts already made: those deliveries are still pending and leased, so
 * they are attempted again (a duplicate, never a loss). In exchange the writer does not wait for the disk, so
 * fewer deliveries are sent-but-not-yet-recorded when a replica dies, which is what a kill turns into
 * duplicates. Creating deliveries (the ingest, before its Kafka offsets are committed) always waits.
 */
@ApplicationScoped
public class OutcomeRepository {

    private static final String FINISHED = DeliveryStatus.sqlList(DELIVERED, DEAD);
    // only attempts of deliveries that still exist; each takes its delivery's endpoint_id (the stats index)
    private static final String INSERT_ATTEMPTS = "INSERT INTO webhook_attempt (delivery_id, endpoint_id, attempt, "
            + "attempted_at, status_code, latency_ms, error_class, response_excerpt) "
            + "SELECT x.d, w.endpoint_id, x.n, x.t, x.s, x.l, x.e, x.r FROM unnest(?::bigint[], ?::int[], "
            + "?::timestamptz[], ?::int[], ?::int[], ?::text[], ?::text[]) AS x(d, n, t, s, l, e, r) "
            + "JOIN webhook_delivery w ON w.id = x.d";
    private static final String UPDATE_DELIVERIES = "UPDATE webhook_delivery d SET status = x.s, "
            + "attempts = d.attempts + x.inc, started_attempts = d.attempts + x.inc, failures = x.f, next_attempt_at = x.n, "
            + "lease_owner = NULL, lease_until = NULL, "
            + "last_status_code = CASE WHEN x.inc = 1 THEN x.code ELSE d.last_status_code END, "
            + "last_latency_ms = CASE WHEN x.inc = 1 THEN x.lat ELSE d.last_latency_ms END, "
            + "last_error = CASE WHEN x.inc = 1 THEN x.err ELSE d.last_error END, updated_at = now(), "
            + "finished_at = CASE WHEN x.s IN " + FINISHED + " THEN now() ELSE NULL END "
            + "FROM unnest(?::bigint[], ?::text[], ?::int[], ?::int[], ?::timestamptz[], ?::int[], ?::int[], ?::text[], "
            + "?::text[]) AS x(id, s, inc, f, n, code, lat, err, owner) WHERE d.id = x.id "
            // fenced by the lease: only the replica that still owns the delivery changes it (one that lost it to a
            // takeover only records its attempt); a finished delivery (delivered, or dead-lettered e.g. when its
            // endpoint was disabled, which also clears the lease) is only ever changed by a late success; replays
            // restart it through DeliveryRepository, not here
            + "AND ((d.lease_owner = x.owner AND d.status NOT IN " + FINISHED + ") "
            + "OR (x.s = " + DELIVERED.sql() + " AND d.status = " + DEAD.sql() + " AND d.lease_owner IS NULL))";
    private static final String DISABLE = "UPDATE webhook_endpoint SET status = " + EndpointStatus.DISABLED.sql()
            + ", disabled_reason = ?, updated_at = now() WHERE id = ANY(?) AND status = " + EndpointStatus.ACTIVE.sql()
            + " %s RETURNING id, account_id, url, failing_since";
    private static final String DEAD_LETTER_UNFINISHED = "UPDATE webhook_delivery SET status = " + DEAD.sql() + ", "
            + "finished_at = now(), updated_at = now(), lease_owner = NULL, lease_until = NULL "
            + "WHERE endpoint_id = ANY(?) AND status IN " + DeliveryStatus.sqlList(PENDING, RETRYING);
    private static final String DEAD_LETTER_UNRECORDABLE = "UPDATE webhook_delivery SET status = " + DEAD.sql() + ", "
            + "finished_at = now(), updated_at = now(), lease_owner = NULL, lease_until = NULL, "
            + "last_error = ? WHERE id = ? AND status NOT IN " + FINISHED;

    private final DataSource dataSource;

    public OutcomeRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Persists the outcomes; returns the ids of endpoints this batch disabled. */
    public List<String> write(List<DeliveryUpdate> outcomes, Duration failureWindow, boolean synchronousCommit)
            throws SQLException {
        List<DeliveryUpdate> attempted =
                outcomes.stream().filter(o -> o.attempt() != null).toList();
        Map<String, Boolean> lastSuccessByEndpoint = new LinkedHashMap<>();
        List<String> gone = new ArrayList<>();
        for (DeliveryUpdate o : attempted) {
            lastSuccessByEndpoint.put(o.task().endpointId(), o.attempt().success());
            if (o.endpointGone()) {
                gone.add(o.task().endpointId());
            }
        }
        List<String> succeeded = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        lastSuccessByEndpoint.forEach((id, ok) -> (ok ? succeeded : failed).add(id));
        List<String> disabled = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!synchronousCommit) {
                    try (Statement st = c.createStatement()) {
                        st.execute("SET LOCAL synchronous_commit = off");
                    }
                }
                insertAttempts(c, attempted);
                lockInIdOrder(c, outcomes);
                updateDeliveries(c, outcomes);
                streaks(
                        c,
                        "UPDATE webhook_endpoint SET failing_since = NULL WHERE id = ANY(?) AND failing_since IS NOT NULL",
                        succeeded);
                streaks(
                        c,
                        "UPDATE webhook_endpoint SET failing_since = now() WHERE id = ANY(?) AND failing_since IS NULL",
                        failed);
                disabled.addAll(disable(c, "gone", gone, ""));
                disabled.addAll(disable(
                        c,
                        "failing",
                        failed,
                        "AND failing_since < now() - make_interval(secs => " + failureWindow.toSeconds() + ")"));
                if (!disabled.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(DEAD_LETTER_UNFINISHED)) {
                        ps.setArray(1, c.createArrayOf("text", disabled.toArray()));
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return disabled;
    }

    /** Records an outcome the database refused and how it was resolved ({@code webhook_parked_outcome}). */
    public void recordParked(DeliveryUpdate outcome, String error, String resolution) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            insertParked(c, outcome, error, resolution);
        }
    }

    /**
     * An outcome that cannot be written at all: its delivery (unless already finished) is moved to the
     * dead-letter queue with {@code error} as {@code last_error} and its lease released, and the outcome is
     * recorded as parked, in one transaction.
     */
    public void deadLetterUnrecordable(DeliveryUpdate outcome, String error) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(DEAD_LETTER_UNRECORDABLE)) {
                    ps.setString(1, "outcome not recordable: " + error);
                    ps.setLong(2, outcome.task().id());
                    ps.executeUpdate();
                }
                insertParked(c, outcome, error, "dead_lettered");
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void insertParked(Connection c, DeliveryUpdate outcome, String error, String resolution)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_parked_outcome (delivery_id, endpoint_id, "
                + "status, status_code, error, resolution) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, outcome.task().id());
            ps.setString(2, outcome.task().endpointId());
            ps.setString(3, outcome.status().db());
            if (outcome.attempt() == null || outcome.attempt().statusCode() == 0) {
                ps.setNull(4, java.sql.Types.INTEGER);
            } else {
                ps.setInt(4, outcome.attempt().statusCode());
            }
            ps.setString(5, error);
            ps.setString(6, resolution);
            ps.executeUpdate();
        }
    }

    private static void insertAttempts(Connection c, List<DeliveryUpdate> attempted) throws SQLException {
        if (attempted.isEmpty()) {
            return;
        }
        int n = attempted.size();
        Long[] ids = new Long[n];
        Integer[] numbers = new Integer[n];
        String[] times = new String[n];
        Integer[] codes = new Integer[n];
        Integer[] latencies = new Integer[n];
        String[] errors = new String[n];
        String[] excerpts = new String[n];
        for (int i = 0; i < n; i++) {
            DeliveryUpdate o = attempted.get(i);
            ids[i] = o.task().id();
            numbers[i] = o.task().attempts() + 1;
            times[i] = o.attempt().at().toString();
            codes[i] = o.attempt().statusCode() == 0 ? null : o.attempt().statusCode();
            latencies[i] = (int) o.attempt().latencyMs();
            errors[i] = o.attempt().errorClass();
            excerpts[i] = o.attempt().excerpt();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_ATTEMPTS)) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("int", numbers));
            ps.setArray(3, c.createArrayOf("text", times));
            ps.setArray(4, c.createArrayOf("int", codes));
            ps.setArray(5, c.createArrayOf("int", latencies));
            ps.setArray(6, c.createArrayOf("text", errors));
            ps.setArray(7, c.createArrayOf("text", excerpts));
            ps.executeUpdate();
        }
    }

    /**
     * Locks the batch's deliveries in id order before they are updated, as the lease renewal does: without it the
     * two deadlocked now and then (each locking in its own order), and the writer lost its batch to a retry after
     * a backoff (seen during the catch-up after a restart, when a renewal covers thousands of held deliveries).
     */
    private static void lockInIdOrder(Connection c, List<DeliveryUpdate> outcomes) throws SQLException {
        Long[] ids = outcomes.stream().map(o -> o.task().id()).toArray(Long[]::new);
        try (PreparedStatement ps =
                c.prepareStatement(DeliveryRepository.LOCKED_IN_ID_ORDER + "ORDER BY id FOR NO KEY UPDATE")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.execute();
        }
    }

    private static void updateDeliveries(Connection c, List<DeliveryUpdate> outcomes) throws SQLException {
        int n = outcomes.size();
        Long[] ids = new Long[n];
        String[] statuses = new String[n];
        Integer[] increments = new Integer[n];
        Integer[] failures = new Integer[n];
        String[] next = new String[n];
        Integer[] codes = new Integer[n];
        Integer[] latencies = new Integer[n];
        String[] errors = new String[n];
        String[] owners = new String[n];
        for (int i = 0; i < n; i++) {
            DeliveryUpdate o = outcomes.get(i);
            owners[i] = o.task().owner();
            boolean attempted = o.attempt() != null;
            ids[i] = o.task().id();
            statuses[i] = o.status().db();
            increments[i] = attempted ? 1 : 0;
            failures[i] = o.task().failures() + (attempted && !o.attempt().success() ? 1 : 0);
            next[i] = o.nextAttemptAt() == null ? null : o.nextAttemptAt().toString();
            codes[i] = attempted && o.attempt().statusCode() != 0 ? o.attempt().statusCode() : null;
            latencies[i] = attempted ? (int) o.attempt().latencyMs() : null;
            errors[i] = attempted ? o.attempt().errorClass() : null;
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE_DELIVERIES)) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("text", statuses));
            ps.setArray(3, c.createArrayOf("int", increments));
            ps.setArray(4, c.createArrayOf("int", failures));
            ps.setArray(5, c.createArrayOf("text", next));
            ps.setArray(6, c.createArrayOf("int", codes));
            ps.setArray(7, c.createArrayOf("int", latencies));
            ps.setArray(8, c.createArrayOf("text", errors));
            ps.setArray(9, c.createArrayOf("text", owners));
            ps.executeUpdate();
        }
    }

    private static void streaks(Connection c, String sql, List<String> endpointIds) throws SQLException {
        if (endpointIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", endpointIds.toArray()));
            ps.executeUpdate();
        }
    }

    private static List<String> disable(Connection c, String reason, List<String> endpointIds, String condition)
            throws SQLException {
        List<String> disabled = new ArrayList<>();
        if (endpointIds.isEmpty()) {
            return disabled;
        }
        try (PreparedStatement ps = c.prepareStatement(DISABLE.formatted(condition))) {
            ps.setString(1, reason);
            ps.setArray(2, c.createArrayOf("text", endpointIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    disabled.add(rs.getString(1));
                    Timestamp since = rs.getTimestamp(4);
                    outbox(
                            c,
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            reason,
                            since == null ? null : since.toInstant());
                }
            }
        }
        return disabled;
    }

    private static void outbox(
            Connection c, String endpointId, String accountId, String url, String reason, Instant failingSince)
            throws SQLException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("endpoint_id", endpointId);
        data.put("url", url);
        data.put("reason", reason);
        data.put("failing_since", failingSince == null ? null : EventEnvelope.formatTimestamp(failingSince));
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO webhook_outbox (event_id, account_id, type, subject, "
                        + "data, occurred_at) VALUES (?, ?, 'webhook.endpoint.disabled', ?, ?, now())")) {
            ps.setString(1, EventIds.newId());
            ps.setString(2, accountId);
            ps.setString(3, endpointId);
            ps.setString(4, CanonicalJson.toJson(data));
            ps.executeUpdate();
        }
    }
}
