package io.cloudnexus.gateway.oauth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudnexus.gateway.problem.LogSafe;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The revoked access tokens (by {@code jti}) and deleted clients (all their tokens), shared by every replica
 * through the table {@code oauth_revocation} and held in memory here, so checking a token costs no database
 * round trip. The whole list (only rows whose tokens could still be valid) is re-read every
 * {@code oauth.revocation-refresh} (10 s): a revocation on another replica takes effect here within that
 * interval; one made on this replica at once. If the list could not be re-read for longer than
 * {@code oauth.revocation-max-staleness} (30 s), {@link #fresh()} is false and tokens are refused with 503
 * rather than checked against an old list. The same job re-reads the {@link SigningKeys}.
 */
@ApplicationScoped
public class RevocationList {

    private static final Logger LOG = Logger.getLogger(RevocationList.class);

    private final DataSource dataSource;
    private final SigningKeys keys;
    private final long maxStaleNanos;
    private volatile Set<String> revoked = Set.of();
    private final Set<String> revokedHere = ConcurrentHashMap.newKeySet();
    private volatile long lastRead = System.nanoTime();
    private volatile long lastWarning;

    public RevocationList(DataSource dataSource, SigningKeys keys, OAuthConfig config) {
        this.dataSource = dataSource;
        this.keys = keys;
        this.maxStaleNanos = config.revocationMaxStaleness().toNanos();
    }

    /** At start (after Flyway): keys and list loaded, or the gateway does not start. */
    void load(@Observes StartupEvent start) throws SQLException {
        keys.refresh();
        read();
    }

    /** Whether the token {@code jti}, or every token of {@code clientId}, is revoked. No I/O. */
    public boolean isRevoked(String jti, String clientId) {
        Set<String> ids = revoked;
        return ids.contains(jti)
                || ids.contains(clientId)
                || revokedHere.contains(jti)
                || revokedHere.contains(clientId);
    }

    /** Whether the list was read recently enough to be trusted ({@code revocation-max-staleness}). */
    public boolean fresh() {
        return System.nanoTime() - lastRead < maxStaleNanos;
    }

    /**
     * Records a revocation: {@code kind} {@code token} (a jti) or {@code client} (all its tokens), kept until
     * {@code expiresAt}, when nothing it names can be valid any more. Effective on this replica at once.
     * Blocking; joins the caller's connection when given (same transaction).
     */
    public void revoke(Connection c, String id, String kind, Instant expiresAt) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO oauth_revocation (id, kind, expires_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
            insert.setString(1, id);
            insert.setString(2, kind);
            insert.setTimestamp(3, Timestamp.from(expiresAt));
            insert.executeUpdate();
        }
        revokedHere.add(id);
    }

    /** Same, in its own transaction. */
    public void revoke(String id, String kind, Instant expiresAt) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            revoke(c, id, kind, expiresAt);
        }
    }

    @Scheduled(
            every = "${cloudnexus.gateway.oauth.revocation-refresh}",
            delayed = "${cloudnexus.gateway.oauth.revocation-refresh}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            read();
            keys.refresh();
        } catch (SQLException | RuntimeException e) {
            long now = System.nanoTime();
            if (now - lastWarning > 60_000_000_000L) {
                lastWarning = now;
                LOG.warnf("Cannot re-read the OAuth revocation list: %s", LogSafe.clean(e.getMessage()));
            }
        }
    }

    private void read() throws SQLException {
        long started = System.nanoTime();
        Set<String> ids = new HashSet<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement prune =
                    c.prepareStatement("DELETE FROM oauth_revocation WHERE expires_at < now() - interval '1 hour'")) {
                prune.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("SELECT id FROM oauth_revocation");
                    ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        revoked = Set.copyOf(ids);
        // what was revoked here is now in the shared list (or expired): the local set only bridges one interval
        revokedHere.removeIf(ids::contains);
        lastRead = started;
    }
}
