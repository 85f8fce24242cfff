package io.cloudnexus.gateway.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.domain.IdempotencyState;

/** The {@code idempotency_record} table (plain JDBC: single-statement upserts, no entity state). */
@ApplicationScoped
public class IdempotencyRepository {

    /** A stored row; {@code status} is set once the state is {@link IdempotencyState#COMPLETED}. */
    public record Record(
            String requestHash,
            IdempotencyState state,
            Integer status,
            String contentType,
            String location,
            byte[] body,
            Instant createdAt,
            Instant expiresAt) {}

    private final DataSource dataSource;

    public IdempotencyRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts an in-flight row; false if the key is already there. */
    public boolean tryInsert(String accountId, String key, String requestHash, Instant now, Instant expiresAt) {
        return update("""
                INSERT INTO idempotency_record (account_id, idempotency_key, request_hash, state, created_at,
                    expires_at)
                VALUES (?, ?, ?, 'in_flight', ?, ?) ON CONFLICT DO NOTHING""", ps -> {
                    ps.setString(1, accountId);
                    ps.setString(2, key);
                    ps.setString(3, requestHash);
                    ps.setTimestamp(4, Timestamp.from(now));
                    ps.setTimestamp(5, Timestamp.from(expiresAt));
                })
                == 1;
    }

    public Optional<Record> find(String accountId, String key) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT request_hash, status, content_type, location, body, created_at, expires_at, state
                        FROM idempotency_record WHERE account_id = ? AND idempotency_key = ?""")) {
            ps.setString(1, accountId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int status = rs.getInt(2);
                Integer statusOrNull = rs.wasNull() ? null : status;
                return Optional.of(new Record(
                        rs.getString(1),
                        IdempotencyState.fromWire(rs.getString(8)),
                        statusOrNull,
                        rs.getString(3),
                        rs.getString(4),
                        rs.getBytes(5),
                        rs.getTimestamp(6).toInstant(),
                        rs.getTimestamp(7).toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency lookup failed", e);
        }
    }

    /** Replaces an expired row (matched by its creation time) with a fresh in-flight row. */
    public boolean takeOver(
            String accountId, String key, Instant seenCreatedAt, String requestHash, Instant now, Instant expiresAt) {
        return update("""
                UPDATE idempotency_record SET request_hash = ?, state = 'in_flight', status = NULL,
                    content_type = NULL, location = NULL, body = NULL, created_at = ?, expires_at = ?
                WHERE account_id = ? AND idempotency_key = ? AND created_at = ?""", ps -> {
                    ps.setString(1, requestHash);
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setTimestamp(3, Timestamp.from(expiresAt));
                    ps.setString(4, accountId);
                    ps.setString(5, key);
                    ps.setTimestamp(6, Timestamp.from(seenCreatedAt));
                })
                == 1;
    }

    /** Stores the answer (also a late one, for a row whose outcome was unknown). */
    public void complete(String accountId, String key, int status, String contentType, String location, byte[] body) {
        update("""
                UPDATE idempotency_record SET state = 'completed', status = ?, content_type = ?, location = ?, body = ?
                WHERE account_id = ? AND idempotency_key = ? AND state <> 'completed'""", ps -> {
            ps.setInt(1, status);
            ps.setString(2, contentType);
            ps.setString(3, location);
            ps.setBytes(4, body);
            ps.setString(5, accountId);
            ps.setString(6, key);
        });
    }

    /** Frees the key of a first request that provably never took effect (only while it is in flight). */
    public void delete(String accountId, String key) {
        update(
                "DELETE FROM idempotency_record WHERE account_id = ? AND idempotency_key = ? AND state = 'in_flight'",
                ps -> {
                    ps.setString(1, accountId);
                    ps.setString(2, key);
                });
    }

    /** The first request reached the service but its answer did not come back: its outcome is unknown. */
    public void markUnknown(String accountId, String key) {
        update("""
                UPDATE idempotency_record SET state = 'unknown'
                WHERE account_id = ? AND idempotency_key = ? AND state = 'in_flight'""", ps -> {
            ps.setString(1, accountId);
            ps.setString(2, key);
        });
    }

    public int deleteExpired(Instant now) {
        return update(
                "DELETE FROM idempotency_record WHERE expires_at < ?", ps -> ps.setTimestamp(1, Timestamp.from(now)));
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency update failed", e);
        }
    }
}
