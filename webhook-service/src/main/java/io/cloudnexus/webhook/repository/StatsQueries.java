package io.cloudnexus.webhook.repository;

import static io.cloudnexus.webhook.domain.DeliveryStatus.DEAD;
import static io.cloudnexus.webhook.domain.DeliveryStatus.PENDING;
import static io.cloudnexus.webhook.domain.DeliveryStatus.RETRYING;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.domain.DeliveryStatus;
import io.cloudnexus.webhook.domain.EndpointStats;
import io.cloudnexus.webhook.domain.StatsWindow;

/**
 * The delivery health of an endpoint ({@link EndpointStats}) in ONE query: the endpoint's attempts of the window
 * (an index-only range of {@code webhook_attempt_endpoint_time}) binned with {@code date_bin} and aggregated per
 * bucket and for the whole window ({@code ROLLUP}), every bucket of the window from {@code generate_series}, and the
 * backlog counted on the partial indexes of unfinished and of dead deliveries. Scoped by the account: another
 * account's endpoint (or none) gives no row.
 */
@ApplicationScoped
public class StatsQueries {

    private static final String STATS =
            "WITH endpoint AS (SELECT id FROM webhook_endpoint WHERE id = ? AND account_id = ?), "
                    + "recent AS (SELECT date_bin(?::interval, attempted_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket, "
                    + "status_code, latency_ms FROM webhook_attempt "
                    + "WHERE endpoint_id = ? AND attempted_at >= ? AND attempted_at < ?), "
                    // one row per bucket with attempts, and (bucket NULL) one for the whole window, also when there is
                    // none
                    + "grouped AS (SELECT bucket, count(*) AS attempts, "
                    + "count(*) FILTER (WHERE status_code BETWEEN 200 AND 299) AS delivered, "
                    + "percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50, "
                    + "percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95 "
                    + "FROM recent GROUP BY ROLLUP (bucket)), "
                    + "waiting AS (SELECT count(*) FILTER (WHERE status = " + PENDING.sql() + ") AS pending, "
                    + "count(*) FILTER (WHERE status = " + RETRYING.sql() + ") AS retrying FROM webhook_delivery "
                    + "WHERE endpoint_id = ? AND status IN " + DeliveryStatus.sqlList(PENDING, RETRYING) + "), "
                    + "dead AS (SELECT count(*) AS dead FROM webhook_delivery WHERE endpoint_id = ? AND status = "
                    + DEAD.sql()
                    + "), "
                    + "slots AS (SELECT b AS start FROM generate_series(?::timestamptz, ?::timestamptz, ?::interval) AS b "
                    + "UNION ALL SELECT NULL) "
                    + "SELECT s.start, coalesce(g.attempts, 0), coalesce(g.delivered, 0), g.p50, g.p95, "
                    + "w.pending, w.retrying, d.dead "
                    + "FROM endpoint CROSS JOIN waiting w CROSS JOIN dead d CROSS JOIN slots s "
                    + "LEFT JOIN grouped g ON g.bucket IS NOT DISTINCT FROM s.start "
                    + "ORDER BY s.start NULLS LAST";

    private final DataSource dataSource;

    public StatsQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The stats of the window ending with the bucket {@code now} falls in; empty if the account has no such endpoint. */
    public Optional<EndpointStats> stats(String accountId, String endpointId, StatsWindow window, Instant now)
            throws SQLException {
        Instant start = window.start(now);
        Timestamp from = Timestamp.from(start);
        Timestamp lastBucket = Timestamp.from(start.plus(window.bucket().multipliedBy(window.buckets() - 1)));
        String bucket = window.bucket().toSeconds() + " seconds";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(STATS)) {
            ps.setString(1, endpointId);
            ps.setString(2, accountId);
            ps.setString(3, bucket);
            ps.setString(4, endpointId);
            ps.setTimestamp(5, from);
            ps.setTimestamp(6, Timestamp.from(window.end(now)));
            ps.setString(7, endpointId);
            ps.setString(8, endpointId);
            ps.setTimestamp(9, from);
            ps.setTimestamp(10, lastBucket);
            ps.setString(11, bucket);
            List<EndpointStats.Bucket> buckets = new ArrayList<>(window.buckets());
            EndpointStats.Totals totals = null;
            EndpointStats.Backlog backlog = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp bucketStart = rs.getTimestamp(1);
                    long attempts = rs.getLong(2);
                    long delivered = rs.getLong(3);
                    Long p50 = millis(rs, 4);
                    Long p95 = millis(rs, 5);
                    if (bucketStart != null) {
                        buckets.add(new EndpointStats.Bucket(
                                bucketStart.toInstant(), attempts, delivered, attempts - delivered, p50, p95));
                    } else {
                        totals = new EndpointStats.Totals(
                                attempts,
                                delivered,
                                attempts - delivered,
                                attempts == 0 ? null : (double) delivered / attempts,
                                p50,
                                p95);
                        backlog = new EndpointStats.Backlog(rs.getLong(6), rs.getLong(7), rs.getLong(8));
                    }
                }
            }
            if (totals == null) {
                return Optional.empty();
            }
            return Optional.of(new EndpointStats(
                    endpointId, window.value(), window.bucket().toSeconds(), buckets, totals, backlog));
        }
    }

    private static Long millis(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : Math.round(value);
    }
}
