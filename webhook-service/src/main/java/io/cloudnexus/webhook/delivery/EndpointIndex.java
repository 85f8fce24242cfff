package io.cloudnexus.webhook.delivery;

import java.net.URI;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.cloudnexus.webhook.domain.EndpointStatus;
import io.cloudnexus.webhook.security.SecretCipher;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * In-memory index of every endpoint: by id (for the lanes) and by account (for matching events: active and
 * paused ones). Kept fresh three ways:
 * <ul>
 * <li>per endpoint on every local change ({@link #reload(String)}), and on every change anywhere through
 * PostgreSQL {@code LISTEN webhook_endpoint_changed} (the V3 trigger notifies with the endpoint id);</li>
 * <li>before each poll's events are matched ({@link #awaitFresh()}): the trigger also bumps
 * {@code webhook_endpoint_version} and stamps the row with it, so one primary-key read tells whether the index
 * is behind, and the rows changed since are reloaded. An endpoint committed before an event was produced is
 * therefore always seen by the consumer that matches that event, even if a notification was lost;</li>
 * <li>as a whole periodically ({@link #reloadAll()}), which also drops endpoints deleted while a
 * notification was lost.</li>
 * </ul>
 * A row that cannot be read (e.g. its secret does not decrypt) is skipped and reported
 * ({@link #skipped()}, gauge {@code webhook_endpoint_index_skipped}, readiness detail); it never stops a reload.
 */
@ApplicationScoped
public class EndpointIndex {

    private static final Logger LOG = Logger.getLogger(EndpointIndex.class);
    static final String CHANNEL = "webhook_endpoint_changed";
    private static final String SELECT = "SELECT id, account_id, url, event_types, status, secret_enc, "
            + "previous_secret_enc, previous_secret_until, row_version FROM webhook_endpoint";
    private static final String VERSION = "SELECT version FROM webhook_endpoint_version";

    private final DataSource dataSource;
    private final SecretCipher cipher;
    private volatile Map<String, EndpointRoute> byId = new ConcurrentHashMap<>();
    private volatile Map<String, Map<String, EndpointRoute>> byAccount = new ConcurrentHashMap<>();
    private final Map<String, String> skipped = new ConcurrentHashMap<>();
    /** Every endpoint change up to this version is in the index. */
    private volatile long version = -1;

    private volatile Instant lastFullReload;
    private volatile boolean listening;
    private final AtomicLong notifications = new AtomicLong();
    private volatile Thread listener;
    private volatile boolean running;

    public EndpointIndex(DataSource dataSource, SecretCipher cipher, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.cipher = cipher;
        registry.gaugeMapSize("webhook.endpoint.index.skipped", io.micrometer.core.instrument.Tags.empty(), skipped);
        registry.gauge("webhook.endpoint.index.size", this, EndpointIndex::size);
    }

    /**
     * Endpoints of the account that receive new events (active or paused, not disabled) and whose filter selects
     * {@code type}.
     */
    public List<EndpointRoute> matching(String accountId, String type) {
        Map<String, EndpointRoute> candidates = byAccount.get(accountId);
        if (candidates == null) {
            return List.of();
        }
        List<EndpointRoute> out = new ArrayList<>();
        for (EndpointRoute route : candidates.values()) {
            if (route.receivesEvents() && route.wants(type)) {
                out.add(route);
            }
        }
        return out;
    }

    /** The endpoint as last loaded (any status), or null if it does not exist (any more). */
    public EndpointRoute get(String endpointId) {
        return byId.get(endpointId);
    }

    /** Reloads everything; a row that cannot be read is skipped and reported. Never throws. */
    public synchronized void reloadAll() {
        Map<String, EndpointRoute> fresh = new ConcurrentHashMap<>();
        Map<String, String> bad = new ConcurrentHashMap<>();
        long seen;
        try (Connection c = dataSource.getConnection()) {
            seen = currentVersion(c); // read first: anything changed later is reloaded by the next check
            c.setAutoCommit(false); // the fetch size streams only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(SELECT)) {
                ps.setFetchSize(2000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString("id");
                        try {
                            fresh.put(id, read(rs));
                        } catch (RuntimeException | SQLException e) {
                            bad.put(id, reason(e));
                        }
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("endpoint index reload failed, keeping the previous index: %s", sanitize(e.getMessage()));
            return;
        }
        Map<String, Map<String, EndpointRoute>> accounts = new ConcurrentHashMap<>();
        fresh.values()
                .forEach(r -> accounts.computeIfAbsent(r.accountId(), k -> new ConcurrentHashMap<>())
                        .put(r.id(), r));
        byId = fresh;
        byAccount = accounts;
        version = Math.max(version, seen);
        lastFullReload = Instant.now();
        skipped.keySet().retainAll(bad.keySet());
        bad.forEach((id, why) -> {
            if (skipped.put(id, why) == null) {
                LOG.errorf("endpoint %s skipped by the index (no deliveries until fixed): %s", id, why);
            }
        });
    }

    /** Reloads one endpoint after a change (create, update, status change, rotation, delete). */
    public synchronized void reload(String endpointId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
            ps.setString(1, endpointId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    apply(rs);
                } else {
                    remove(endpointId);
                    skipped.remove(endpointId);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("endpoint reload failed", e);
        }
    }

    /**
     * Called by the consumer before it matches a poll's events: if any endpoint changed since the index last
     * caught up (one primary-key read of {@code webhook_endpoint_version}), reloads the changed rows first.
     * Returns false if the check itself failed (the database is then unusable for the ingest too).
     */
    public synchronized boolean awaitFresh() {
        try (Connection c = dataSource.getConnection()) {
            long current = currentVersion(c);
            if (current <= version) {
                return true;
            }
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE row_version > ?")) {
                ps.setLong(1, version);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        apply(rs);
                    }
                }
            }
            version = current;
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("endpoint index freshness check failed: %s", sanitize(e.getMessage()));
            return false;
        }
    }

    public int size() {
        return byId.size();
    }

    /** Endpoints the index could not load, with why (no secrets). */
    public Map<String, String> skipped() {
        return Map.copyOf(skipped);
    }

    /** When the last complete reload succeeded (null before the first). */
    public Instant lastFullReload() {
        return lastFullReload;
    }

    /** Whether the change listener currently holds its LISTEN connection. */
    public boolean listening() {
        return listening;
    }

    /** Starts the thread that listens for endpoint changes committed anywhere. */
    public synchronized void startListening() {
        if (listener != null) {
            return;
        }
        running = true;
        Thread t = new Thread(this::listen, "webhook-endpoint-listener");
        t.setDaemon(true);
        listener = t;
        t.start();
    }

    public void stopListening() {
        running = false;
        Thread t = listener;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listener = null;
    }

    private void listen() {
        long backoff = 200;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                listening = true;
                backoff = 200;
                awaitFresh(); // changes made while not listening
                while (running) {
                    PGNotification[] batch = pg.getNotifications(500);
                    if (batch == null) {
                        continue;
                    }
                    for (PGNotification n : batch) {
                        notifications.incrementAndGet();
                        try {
                            reload(n.getParameter());
                        } catch (RuntimeException e) {
                            LOG.warnf(
                                    "reloading endpoint %s after a change notification failed: %s",
                                    sanitize(n.getParameter()), sanitize(e.getMessage()));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warnf(
                            "endpoint change listener lost its connection, reconnecting: %s", sanitize(e.getMessage()));
                }
            } finally {
                listening = false;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
            backoff = Math.min(backoff * 2, 10_000);
        }
    }

    private void apply(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        EndpointRoute route;
        try {
            route = read(rs);
        } catch (RuntimeException | SQLException e) {
            remove(id);
            if (skipped.put(id, reason(e)) == null) {
                LOG.errorf("endpoint %s skipped by the index (no deliveries until fixed): %s", id, reason(e));
            }
            return;
        }
        skipped.remove(id);
        remove(id);
        byId.put(id, route);
        byAccount
                .computeIfAbsent(route.accountId(), k -> new ConcurrentHashMap<>())
                .put(id, route);
    }

    private void remove(String endpointId) {
        EndpointRoute old = byId.remove(endpointId);
        if (old != null) {
            Map<String, EndpointRoute> account = byAccount.get(old.accountId());
            if (account != null) {
                account.remove(endpointId);
            }
        }
    }

    private static long currentVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(VERSION);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private EndpointRoute read(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        Array types = rs.getArray("event_types");
        byte[] previous = rs.getBytes("previous_secret_enc");
        Timestamp until = rs.getTimestamp("previous_secret_until");
        return new EndpointRoute(
                id,
                rs.getString("account_id"),
                URI.create(rs.getString("url")),
                List.copyOf(Arrays.asList((String[]) types.getArray())),
                EndpointStatus.fromDb(rs.getString("status")),
                cipher.decrypt(rs.getBytes("secret_enc"), id),
                previous == null ? null : cipher.decrypt(previous, id),
                until == null ? null : until.toInstant());
    }

    /** Why a row was skipped: the exception's kind and message, never a value of the row. */
    private static String reason(Exception e) {
        return sanitize(e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    static String sanitize(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), 300));
        for (int i = 0; i < s.length() && out.length() < 300; i++) {
            char ch = s.charAt(i);
            out.append(Character.isISOControl(ch) || Character.isSurrogate(ch) ? '?' : ch);
        }
        return out.toString();
    }
}
