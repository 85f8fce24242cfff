package io.cloudnexus.webhook.repository;

import static io.cloudnexus.webhook.domain.DeliveryStatus.DEAD;
import static io.cloudnexus.webhook.domain.DeliveryStatus.PENDING;
import static io.cloudnexus.webhook.domain.DeliveryStatus.RETRYING;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.domain.DeliveryStatus;

/**
 * The queue-depth gauges' counts, read from the partial indexes of unfinished ({@code webhook_delivery_endpoint_due})
 * and dead-lettered ({@code webhook_delivery_dead}) rows only, each capped: the gauge never scans the table
 * (whose delivered rows are the vast majority) and costs at most {@code cap} index entries per state.
 */
@ApplicationScoped
public class QueueDepthQueries {

    static final String COUNTS = "SELECT "
            + "(SELECT count(*) FROM (SELECT 1 FROM webhook_delivery WHERE status = " + PENDING.sql() + " LIMIT ?) p), "
            + "(SELECT count(*) FROM (SELECT 1 FROM webhook_delivery WHERE status = " + RETRYING.sql()
            + " LIMIT ?) r), "
            + "(SELECT count(*) FROM (SELECT 1 FROM webhook_delivery WHERE status = " + DEAD.sql() + " LIMIT ?) d)";

    private final DataSource dataSource;

    public QueueDepthQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Pending, retrying and dead deliveries, each counted up to {@code cap}. */
    public Map<DeliveryStatus, Long> counts(int cap) throws SQLException {
        Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL enable_seqscan = off"); // the partial indexes, whatever the statistics say
                try (PreparedStatement ps = c.prepareStatement(COUNTS)) {
                    ps.setInt(1, cap);
                    ps.setInt(2, cap);
                    ps.setInt(3, cap);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        counts.put(PENDING, rs.getLong(1));
                        counts.put(RETRYING, rs.getLong(2));
                        counts.put(DEAD, rs.getLong(3));
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
        }
        return counts;
    }

    /** The plan of {@link #counts(int)} (tests check it reads indexes only). */
    public String plan() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL enable_seqscan = off");
                try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + COUNTS.replace("?", "1000"));
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
                c.rollback();
            } finally {
                c.setAutoCommit(true);
            }
        }
        return out.toString();
    }
}
