package io.cloudnexus.webhook;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;

/** Rows written straight into the database, as another replica (or an old version) would have written them. */
public final class Rows {

    private Rows() {}

    /** An endpoint row with the given (already encrypted, or deliberately broken) secret bytes; returns its id. */
    public static String endpoint(
            DataSource ds, String id, String accountId, String url, List<String> types, byte[] secretEnc)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_endpoint "
                        + "(id, account_id, url, event_types, status, secret_enc, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, 'active', ?, now(), now())")) {
            ps.setString(1, id);
            ps.setString(2, accountId);
            ps.setString(3, url);
            ps.setArray(4, c.createArrayOf("text", types.toArray()));
            ps.setBytes(5, secretEnc);
            ps.executeUpdate();
        }
        return id;
    }

    public static String newEndpointId() {
        return ResourceIds.newId(ResourceIds.WEBHOOK_ENDPOINT);
    }

    /** An event row created at {@code createdAt}; returns its id. */
    public static String event(DataSource ds, String accountId, Instant createdAt) throws SQLException {
        String id = EventIds.newId();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO webhook_event (event_id, account_id, type, body, created_at) VALUES (?, ?, 'server.created', ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, accountId);
            ps.setBytes(3, ("{\"event\":\"server.created\",\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
            ps.setTimestamp(4, Timestamp.from(createdAt));
            ps.executeUpdate();
        }
        return id;
    }

    /**
     * A delivery in {@code status}, created at {@code createdAt}, finished at {@code finishedAt} (may be null),
     * leased to {@code leaseOwner} for an hour when not null (so no scheduler claims it); returns its id.
     */
    public static long delivery(
            DataSource ds,
            String eventId,
            String endpointId,
            String accountId,
            String status,
            Instant createdAt,
            Instant finishedAt,
            String leaseOwner)
            throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO webhook_delivery "
                                + "(event_id, endpoint_id, account_id, event_type, status, next_attempt_at, lease_owner, lease_until, "
                                + "created_at, updated_at, finished_at) VALUES (?, ?, ?, 'server.created', ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            boolean unfinished = status.equals("pending") || status.equals("retrying");
            ps.setString(1, eventId);
            ps.setString(2, endpointId);
            ps.setString(3, accountId);
            ps.setString(4, status);
            ps.setTimestamp(5, unfinished ? Timestamp.from(Instant.now().plusSeconds(3600)) : null);
            ps.setString(6, leaseOwner);
            ps.setTimestamp(
                    7, leaseOwner == null ? null : Timestamp.from(Instant.now().plusSeconds(3600)));
            ps.setTimestamp(8, Timestamp.from(createdAt));
            ps.setTimestamp(9, Timestamp.from(createdAt));
            ps.setTimestamp(10, finishedAt == null ? null : Timestamp.from(finishedAt));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One attempt row of the delivery (with its delivery's endpoint_id, as the result writer records it). */
    public static void attempt(DataSource ds, long deliveryId, Instant at) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_attempt "
                        + "(delivery_id, endpoint_id, attempt, attempted_at, status_code, latency_ms) "
                        + "SELECT id, endpoint_id, 1, ?, 200, 5 FROM webhook_delivery WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setLong(2, deliveryId);
            ps.executeUpdate();
        }
    }

    /** A single value of a query with one long/string parameter per {@code ?}. */
    public static Object value(DataSource ds, String sql, Object... params) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    public static int update(DataSource ds, String sql, Object... params) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }
}
