package io.cloudnexus.webhook.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.domain.DeliveryId;
import io.cloudnexus.webhook.domain.DeliveryStatus;
import io.cloudnexus.webhook.domain.EventDeliveryView;
import io.cloudnexus.webhook.domain.EventFilter;
import io.cloudnexus.webhook.domain.StoredEvent;

/**
 * Read side of the stored events for the Events API; every query is scoped by the account, leaves out test events
 * (made by {@code POST /webhooks/{id}/test}) and events older than the retention period ({@code retention}: by the
 * time they occurred, and by the time they were stored, which the retention job deletes by), also before the job
 * has deleted them.
 */
@ApplicationScoped
public class EventQueries {

    private static final String VISIBLE =
            "account_id = ? AND NOT test AND occurred_at >= now() - make_interval(secs => ?) "
                    + "AND created_at >= now() - make_interval(secs => ?) ";
    private static final String DELIVERIES = "SELECT d.endpoint_id, d.id, d.status, d.attempts, d.last_status_code, "
            + "(SELECT max(a.attempted_at) FROM webhook_attempt a WHERE a.delivery_id = d.id) "
            + "FROM webhook_delivery d WHERE d.event_id = ? AND d.account_id = ? ORDER BY d.id";

    private final DataSource dataSource;

    public EventQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The account's visible events, newest first in store order ({@code seq} descending); {@code fetch} rows. */
    public List<StoredEvent> list(String accountId, EventFilter filter, Duration retention, int fetch)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT event_id, seq, body FROM webhook_event WHERE " + VISIBLE);
        List<Object> args = new ArrayList<>(List.of(accountId, seconds(retention), seconds(retention)));
        try (Connection c = dataSource.getConnection()) {
            if (filter.types() != null) {
                sql.append("AND type = ANY(?) ");
                args.add(c.createArrayOf("text", filter.types().toArray()));
            }
            if (filter.resourceId() != null) {
                sql.append("AND resource_id = ? ");
                args.add(filter.resourceId());
            }
            if (filter.from() != null) {
                sql.append("AND occurred_at >= ? ");
                args.add(Timestamp.from(filter.from()));
            }
            if (filter.to() != null) {
                sql.append("AND occurred_at < ? ");
                args.add(Timestamp.from(filter.to()));
            }
            if (filter.beforeSeq() != null) {
                sql.append("AND seq < ? ");
                args.add(filter.beforeSeq());
            }
            sql.append("ORDER BY seq DESC LIMIT ?");
            args.add(fetch);
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<StoredEvent> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new StoredEvent(rs.getString(1), rs.getLong(2), rs.getBytes(3)));
                    }
                }
                return rows;
            }
        }
    }

    /**
     * The store order of the account's (non-test) event {@code eventId}, whatever its age: a listing's cursor.
     * Empty if the account has no such event.
     */
    public OptionalLong seqOf(String accountId, String eventId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT seq FROM webhook_event WHERE event_id = ? AND account_id = ? AND NOT test")) {
            ps.setString(1, eventId);
            ps.setString(2, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** The account's visible event {@code eventId}. */
    public Optional<StoredEvent> find(String accountId, String eventId, Duration retention) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT event_id, seq, body FROM webhook_event WHERE event_id = ? AND " + VISIBLE)) {
            ps.setString(1, eventId);
            ps.setString(2, accountId);
            ps.setDouble(3, seconds(retention));
            ps.setDouble(4, seconds(retention));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new StoredEvent(rs.getString(1), rs.getLong(2), rs.getBytes(3)))
                        : Optional.empty();
            }
        }
    }

    /** The event's deliveries, one per endpoint it was queued for, oldest first. */
    public List<EventDeliveryView> deliveries(String accountId, String eventId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DELIVERIES)) {
            ps.setString(1, eventId);
            ps.setString(2, accountId);
            List<EventDeliveryView> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp last = rs.getTimestamp(6);
                    rows.add(new EventDeliveryView(
                            rs.getString(1),
                            DeliveryId.publicId(rs.getLong(2)),
                            DeliveryStatus.fromDb(rs.getString(3)),
                            rs.getInt(4),
                            (Integer) rs.getObject(5),
                            last == null ? null : last.toInstant()));
                }
            }
            return rows;
        }
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
