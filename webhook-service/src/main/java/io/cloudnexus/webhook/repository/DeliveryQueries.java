package io.cloudnexus.webhook.repository;

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

import io.cloudnexus.webhook.domain.AttemptView;
import io.cloudnexus.webhook.domain.DeliveryFilter;
import io.cloudnexus.webhook.domain.DeliveryId;
import io.cloudnexus.webhook.domain.DeliveryStatus;
import io.cloudnexus.webhook.domain.DeliveryView;

/** Read side of deliveries and attempts for the API; every query is scoped by the account. */
@ApplicationScoped
public class DeliveryQueries {

    private static final String COLUMNS = "SELECT id, endpoint_id, event_id, event_type, status, test, attempts, "
            + "last_status_code, last_latency_ms, last_error, next_attempt_at, created_at, updated_at, finished_at "
            + "FROM webhook_delivery WHERE account_id = ? ";

    private final DataSource dataSource;

    public DeliveryQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Newest first; {@code fetch} rows (one more than the page). */
    public List<DeliveryView> list(String accountId, DeliveryFilter filter, int fetch) throws SQLException {
        StringBuilder sql = new StringBuilder(COLUMNS);
        List<Object> args = new ArrayList<>();
        args.add(accountId);
        if (filter.endpointId() != null) {
            sql.append("AND endpoint_id = ? ");
            args.add(filter.endpointId());
        }
        if (filter.eventType() != null) {
            sql.append("AND event_type = ? ");
            args.add(filter.eventType());
        }
        if (filter.status() != null) {
            sql.append("AND status = ? ");
            args.add(filter.status().db());
        }
        String timeColumn = filter.status() == DeliveryStatus.DEAD ? "finished_at" : "created_at";
        if (filter.from() != null) {
            sql.append("AND ").append(timeColumn).append(" >= ? ");
            args.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append("AND ").append(timeColumn).append(" < ? ");
            args.add(Timestamp.from(filter.to()));
        }
        if (filter.before() != null) {
            sql.append("AND id < ? ");
            args.add(filter.before());
        }
        sql.append("ORDER BY id DESC LIMIT ?");
        args.add(fetch);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<DeliveryView> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        }
    }

    public Optional<DeliveryView> find(String accountId, long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(COLUMNS + "AND id = ?")) {
            ps.setString(1, accountId);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public List<AttemptView> attempts(long deliveryId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT attempt, attempted_at, status_code, latency_ms, error_class, response_excerpt FROM webhook_attempt "
                                + "WHERE delivery_id = ? ORDER BY attempt, id")) {
            ps.setLong(1, deliveryId);
            List<AttemptView> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new AttemptView(
                            rs.getInt(1),
                            rs.getTimestamp(2).toInstant(),
                            (Integer) rs.getObject(3),
                            rs.getInt(4),
                            rs.getString(5),
                            rs.getString(6)));
                }
            }
            return rows;
        }
    }

    private static DeliveryView read(ResultSet rs) throws SQLException {
        return new DeliveryView(
                DeliveryId.publicId(rs.getLong(1)),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                DeliveryStatus.fromDb(rs.getString(5)),
                rs.getBoolean(6),
                rs.getInt(7),
                (Integer) rs.getObject(8),
                (Integer) rs.getObject(9),
                rs.getString(10),
                instant(rs, 11),
                instant(rs, 12),
                instant(rs, 13),
                instant(rs, 14));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
