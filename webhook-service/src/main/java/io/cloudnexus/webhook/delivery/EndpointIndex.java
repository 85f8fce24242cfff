package io.cloudnexus.webhook.delivery;

import java.net.URI;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.webhook.security.SecretCipher;

/**
 * In-memory index of every endpoint: by id (for the lanes) and, for active ones, by account (for matching
 * events). Reloaded as a whole periodically (other replicas' changes) and per endpoint on every local change.
 */
@ApplicationScoped
public class EndpointIndex {

    private static final Logger LOG = Logger.getLogger(EndpointIndex.class);
    private static final String SELECT = "SELECT id, account_id, url, event_types, status, secret_enc, "
            + "previous_secret_enc, previous_secret_until FROM webhook_endpoint";

    private final DataSource dataSource;
    private final SecretCipher cipher;
    private volatile Map<String, EndpointRoute> byId = new ConcurrentHashMap<>();
    private volatile Map<String, Map<String, EndpointRoute>> byAccount = new ConcurrentHashMap<>();

    public EndpointIndex(DataSource dataSource, SecretCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
    }

    /** Active endpoints of the account whose filter selects {@code type}. */
    public List<EndpointRoute> matching(String accountId, String type) {
        Map<String, EndpointRoute> candidates = byAccount.get(accountId);
        if (candidates == null) {
            return List.of();
        }
        List<EndpointRoute> out = new ArrayList<>();
        for (EndpointRoute route : candidates.values()) {
            if (route.active() && route.wants(type)) {
                out.add(route);
            }
        }
        return out;
    }

    /** The endpoint as last loaded (any status), or null if it does not exist (any more). */
    public EndpointRoute get(String endpointId) {
        return byId.get(endpointId);
    }

    /** Reloads everything. */
    public synchronized void reloadAll() {
        Map<String, EndpointRoute> fresh = new ConcurrentHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setFetchSize(2000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EndpointRoute route = read(rs);
                    fresh.put(route.id(), route);
                }
            }
        } catch (SQLException e) {
            LOG.warnf("endpoint index reload failed: %s", e.getMessage());
            return;
        }
        Map<String, Map<String, EndpointRoute>> accounts = new ConcurrentHashMap<>();
        fresh.values().forEach(r -> accounts.computeIfAbsent(r.accountId(), k -> new ConcurrentHashMap<>()).put(r.id(), r));
        byId = fresh;
        byAccount = accounts;
    }

    /** Reloads one endpoint after a local change (create, update, status change, rotation, delete). */
    public synchronized void reload(String endpointId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
            ps.setString(1, endpointId);
            try (ResultSet rs = ps.executeQuery()) {
                EndpointRoute old = byId.remove(endpointId);
                if (old != null) {
                    Map<String, EndpointRoute> account = byAccount.get(old.accountId());
                    if (account != null) {
                        account.remove(endpointId);
                    }
                }
                if (rs.next()) {
                    EndpointRoute route = read(rs);
                    byId.put(endpointId, route);
                    byAccount.computeIfAbsent(route.accountId(), k -> new ConcurrentHashMap<>()).put(endpointId, route);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("endpoint reload failed", e);
        }
    }

    public int size() {
        return byId.size();
    }

    private EndpointRoute read(ResultSet rs) throws SQLException {
        Array types = rs.getArray("event_types");
        byte[] previous = rs.getBytes("previous_secret_enc");
        Timestamp until = rs.getTimestamp("previous_secret_until");
        return new EndpointRoute(rs.getString("id"), rs.getString("account_id"), URI.create(rs.getString("url")),
                List.copyOf(Arrays.asList((String[]) types.getArray())), rs.getString("status"),
                cipher.decrypt(rs.getBytes("secret_enc")), previous == null ? null : cipher.decrypt(previous),
                until == null ? null : until.toInstant());
    }
}
