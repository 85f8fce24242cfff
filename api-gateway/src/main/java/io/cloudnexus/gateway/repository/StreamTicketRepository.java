package io.cloudnexus.gateway.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code stream_ticket} table (plain JDBC: single statements). Times come from the database's clock
 * (every replica agrees on when a ticket expires); a ticket is redeemed by one atomic {@code UPDATE}.
 */
@ApplicationScoped
public class StreamTicketRepository {

    /** What a redeemed ticket was bound to: an API key ({@code apiKeyId}) or an OIDC token (subject, expiry). */
    public record Redeemed(
            String accountId, String scopes, String apiKeyId, String oidcSubject, Instant credentialExpiresAt) {}

    private final DataSource dataSource;

    public StreamTicketRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A ticket of the API key with hash {@code keyHash}, if the key is still active; returns its expiry.
     * The key's id and account are taken from its row, so a revoked key (even one still cached) gets none.
     */
    public Optional<Instant> insertForKey(String ticketHash, String keyHash, String scopes, Duration ttl) {
        return insert("""
                INSERT INTO stream_ticket (ticket_hash, account_id, scopes, api_key_id, created_at, expires_at)
                SELECT ?, k.account_id, ?, k.id, now(), now() + make_interval(secs => ?)
                FROM api_key k WHERE k.key_hash = ? AND k.revoked_at IS NULL
                RETURNING expires_at""", ps -> {
            ps.setString(1, ticketHash);
            ps.setString(2, scopes);
            ps.setDouble(3, ttl.toMillis() / 1000.0);
            ps.setString(4, keyHash);
        });
    }

    /** A ticket of an OIDC token; it expires after {@code ttl} or with the token, whichever is first. */
    public Optional<Instant> insertForToken(
            String ticketHash, String accountId, String scopes, String subject, Instant tokenExpiresAt, Duration ttl) {
        return insert("""
                INSERT INTO stream_ticket (ticket_hash, account_id, scopes, oidc_subject, credential_expires_at,
                    created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, now(), LEAST(now() + make_interval(secs => ?), ?))
                RETURNING expires_at""", ps -> {
            ps.setString(1, ticketHash);
            ps.setString(2, accountId);
            ps.setString(3, scopes);
            ps.setString(4, subject);
            ps.setTimestamp(5, Timestamp.from(tokenExpiresAt));
            ps.setDouble(6, ttl.toMillis() / 1000.0);
            ps.setTimestamp(7, Timestamp.from(tokenExpiresAt));
        });
    }

    /** Redeems a ticket: only an unused, unexpired one, and only once (concurrent redeemers: one wins). */
    public Optional<Redeemed> redeem(String ticketHash) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE stream_ticket SET used_at = now()
                        WHERE ticket_hash = ? AND used_at IS NULL AND expires_at > now()
                        RETURNING account_id, scopes, api_key_id, oidc_subject, credential_expires_at""")) {
            ps.setString(1, ticketHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp expires = rs.getTimestamp(5);
                return Optional.of(new Redeemed(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        expires == null ? null : expires.toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("stream ticket redemption failed", e);
        }
    }

    /** Deletes tickets that expired before {@code before} (used or not). */
    public int deleteExpired(Instant before) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM stream_ticket WHERE expires_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(before));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("stream ticket clean-up failed", e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private Optional<Instant> insert(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("stream ticket insert failed", e);
        }
    }
}
