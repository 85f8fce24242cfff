package io.cloudnexus.webhook.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The replicas' heartbeats ({@code webhook_engine}): a replica whose heartbeat is older than dead-after is dead
 * and its leases are free; the live ones share each endpoint's rate limit. Also reads the endpoints' own rate
 * limits, refreshed with every heartbeat.
 */
@ApplicationScoped
public class EngineRepository {

    private final DataSource dataSource;

    public EngineRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records {@code owner}'s heartbeat, forgets replicas dead for long (their leases are free anyway), and
     * returns how many replicas are live now, this one included.
     */
    public int heartbeat(String owner, Duration deadAfter) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_engine (id) VALUES (?) "
                    + "ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()")) {
                ps.setString(1, owner);
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM webhook_engine WHERE heartbeat_at < now() - interval '1 day'")) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM webhook_engine WHERE heartbeat_at > now() - make_interval(secs => ?)")) {
                ps.setDouble(1, deadAfter.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Math.max(1, rs.getInt(1));
                }
            }
        }
    }

    /** Clean stop: this replica is gone (its leases were released before). */
    public void remove(String owner) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_engine WHERE id = ?")) {
            ps.setString(1, owner);
            ps.executeUpdate();
        }
    }

    /** The endpoints that set their own rate limit: id to requests per second (across replicas). */
    public Map<String, Integer> rateLimits() throws SQLException {
        Map<String, Integer> limits = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, rate_limit FROM webhook_endpoint WHERE rate_limit IS NOT NULL")) {
            ps.setFetchSize(2000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    limits.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return limits;
    }
}
