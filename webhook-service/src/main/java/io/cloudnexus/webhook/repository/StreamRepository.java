package io.cloudnexus.webhook.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.events.FeedPosition;

/**
 * What the live stream reads and writes in PostgreSQL: the stored events it replays from ({@code since}, in the
 * streams' order: their record's {@link FeedPosition}) and the open connections of every replica ({@code webhook_stream_connection},
 * for the per-account cap).
 */
@ApplicationScoped
public class StreamRepository {

    /** A stored event to replay. */
    public record StoredEvent(FeedPosition position, String eventId, String type, byte[] envelope, Instant storedAt) {}

    /** Test events (POST /webhooks/{id}/test) are not the account's events: they are never streamed. */
    private static final String NOT_TEST = " AND NOT e.test";
    /** The streams' order: the event's record position (V7; the index webhook_event_account_feed). */
    private static final String POSITION = "feed_ts, feed_topic, feed_partition, feed_offset";

    /** First key of the per-account advisory lock (the second is the account id's hash). */
    private static final int LOCK_NAMESPACE = 0x5354524d; // "STRM"

    private final DataSource dataSource;

    public StreamRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The feed position of the account's event, if it is kept (stored after {@code keptSince}) and streamable. */
    public Optional<FeedPosition> positionOf(String accountId, String eventId, Instant keptSince) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + POSITION + " FROM webhook_event e "
                        + "WHERE event_id = ? AND account_id = ? AND created_at >= ? AND feed_ts IS NOT NULL"
                        + NOT_TEST)) {
            ps.setString(1, eventId);
            ps.setString(2, accountId);
            ps.setTimestamp(3, Timestamp.from(keptSince));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(position(rs, 1)) : Optional.empty();
            }
        }
    }

    /** The account's next stored events after {@code after}, in the streams' order. */
    public List<StoredEvent> after(String accountId, FeedPosition after, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + POSITION + ", event_id, type, body, created_at "
                        + "FROM webhook_event e WHERE account_id = ? AND feed_ts IS NOT NULL AND (" + POSITION
                        + ") > (?, ?, ?, ?)" + NOT_TEST + " ORDER BY " + POSITION + " LIMIT ?")) {
            ps.setString(1, accountId);
            ps.setLong(2, after.timestampMs());
            ps.setString(3, after.topic());
            ps.setInt(4, after.partition());
            ps.setLong(5, after.offset());
            ps.setInt(6, limit);
            List<StoredEvent> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new StoredEvent(
                            position(rs, 1),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getBytes(7),
                            rs.getTimestamp(8).toInstant()));
                }
            }
            return rows;
        }
    }

    private static FeedPosition position(ResultSet rs, int first) throws SQLException {
        return new FeedPosition(
                rs.getLong(first), rs.getString(first + 1), rs.getInt(first + 2), rs.getLong(first + 3));
    }

    /**
     * Records an open connection unless the account already has {@code cap} open on live replicas (heartbeat
     * within {@code deadAfter}); the account's rows of dead replicas are deleted on the way. Serialised per
     * account by an advisory lock, so two replicas cannot both take the last place.
     */
    public boolean open(String connectionId, String accountId, String engineId, int cap, Duration deadAfter)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                    ps.setInt(1, LOCK_NAMESPACE);
                    ps.setString(2, accountId);
                    ps.execute();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_stream_connection s "
                        + "WHERE s.account_id = ? AND NOT EXISTS (SELECT 1 FROM webhook_engine g "
                        + "WHERE g.id = s.engine_id AND g.heartbeat_at > now() - make_interval(secs => ?))")) {
                    ps.setString(1, accountId);
                    ps.setDouble(2, deadAfter.toMillis() / 1000.0);
                    ps.executeUpdate();
                }
                int count;
                try (PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM webhook_stream_connection WHERE account_id = ?")) {
                    ps.setString(1, accountId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        count = rs.getInt(1);
                    }
                }
                if (count >= cap) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO webhook_stream_connection " + "(id, account_id, engine_id) VALUES (?, ?, ?)")) {
                    ps.setString(1, connectionId);
                    ps.setString(2, accountId);
                    ps.setString(3, engineId);
                    ps.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public void close(String connectionId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_stream_connection WHERE id = ?")) {
            ps.setString(1, connectionId);
            ps.executeUpdate();
        }
    }

    /** Forgets every connection of this replica (at start and at a clean stop). */
    public void closeAll(String engineId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("DELETE FROM webhook_stream_connection WHERE engine_id = ?")) {
            ps.setString(1, engineId);
            ps.executeUpdate();
        }
    }

    /** The accounts with a stream open on a live replica (delivery frames are published only for them). */
    public Set<String> accountsWithStreams(Duration deadAfter) throws SQLException {
        Set<String> accounts = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT DISTINCT s.account_id FROM "
                        + "webhook_stream_connection s JOIN webhook_engine g ON g.id = s.engine_id "
                        + "WHERE g.heartbeat_at > now() - make_interval(secs => ?)")) {
            ps.setDouble(1, deadAfter.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    accounts.add(rs.getString(1));
                }
            }
        }
        return accounts;
    }
}
