package io.cloudnexus.gateway.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code console_session} table (plain JDBC: single statements). Times come from the database's clock
 * (every replica agrees on when a session expires). A session is only ever found together with its API
 * key, and only while that key is not revoked.
 */
@ApplicationScoped
public class ConsoleSessionRepository {

    /** An active session, with what it stands for: its API key (id, hash, display prefix, scopes) and account. */
    public record Active(
            String accountId,
            String apiKeyId,
            String keyHash,
            String keyPrefix,
            String scopes,
            String csrfToken,
            Instant expiresAt) {}

    private static final String ACTIVE = """
            SELECT s.account_id, k.id, k.key_hash, k.key_prefix, k.scopes, s.csrf_token, s.expires_at
            FROM console_session s JOIN api_key k ON k.id = s.api_key_id
            WHERE s.cookie_hash = ? AND k.revoked_at IS NULL AND k.account_id = s.account_id
              AND s.expires_at > now() AND s.idle_expires_at > now()""";

    private final DataSource dataSource;

    public ConsoleSessionRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A session of the API key with hash {@code keyHash}, if the key is still active (its id and account are
     * taken from its row); the new session as {@link #find} would return it.
     */
    public Optional<Active> insertForKey(
            String cookieHash, String csrfToken, String keyHash, Duration lifetime, Duration idle) {
        String sql = """
                WITH s AS (
                    INSERT INTO console_session (cookie_hash, api_key_id, account_id, csrf_token, created_at,
                        last_used_at, expires_at, idle_expires_at)
                    SELECT ?, k.id, k.account_id, ?, now(), now(), now() + make_interval(secs => ?),
                        now() + make_interval(secs => LEAST(?, ?))
                    FROM api_key k WHERE k.key_hash = ? AND k.revoked_at IS NULL
                    RETURNING account_id, api_key_id, csrf_token, expires_at)
                SELECT s.account_id, k.id, k.key_hash, k.key_prefix, k.scopes, s.csrf_token, s.expires_at
                FROM s JOIN api_key k ON k.id = s.api_key_id""";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, cookieHash);
            ps.setString(2, csrfToken);
            ps.setDouble(3, seconds(lifetime));
            ps.setDouble(4, seconds(idle));
            ps.setDouble(5, seconds(lifetime));
            ps.setString(6, keyHash);
            return read(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("console session insert failed", e);
        }
    }

    /** The session with cookie hash {@code cookieHash}, if it has not expired and its key is not revoked. */
    public Optional<Active> find(String cookieHash) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(ACTIVE)) {
            ps.setString(1, cookieHash);
            return read(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("console session lookup failed", e);
        }
    }

    /** Records a use of the session: the idle expiry restarts (never past the absolute expiry). */
    public void touch(String cookieHash, Duration idle) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        UPDATE console_session SET last_used_at = now(),
                            idle_expires_at = LEAST(expires_at, now() + make_interval(secs => ?))
                        WHERE cookie_hash = ?""")) {
            ps.setDouble(1, seconds(idle));
            ps.setString(2, cookieHash);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("console session update failed", e);
        }
    }

    /** Deletes the session (sign-out); whether there was one. */
    public boolean delete(String cookieHash) {
        return update("DELETE FROM console_session WHERE cookie_hash = ?", cookieHash) > 0;
    }

    /** Deletes the sessions that expired before {@code before}. */
    public int deleteExpired(Instant before) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("DELETE FROM console_session WHERE idle_expires_at < ? OR expires_at < ?")) {
            ps.setObject(1, java.sql.Timestamp.from(before));
            ps.setObject(2, java.sql.Timestamp.from(before));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("console session clean-up failed", e);
        }
    }

    private int update(String sql, String value) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("console session update failed", e);
        }
    }

    private static Optional<Active> read(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Active(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getTimestamp(7).toInstant()));
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
