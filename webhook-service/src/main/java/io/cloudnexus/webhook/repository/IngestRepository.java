package io.cloudnexus.webhook.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.delivery.DeliveryTask;

/**
 * Persists matched events and their deliveries in ONE transaction with two set-based statements (the
 * envelope stored once per event; deliveries deduplicated on (event, endpoint)). Only the newly created
 * deliveries come back, leased by the calling replica so no other replica sends them meanwhile.
 */
@ApplicationScoped
public class IngestRepository {

    private static final String INSERT_EVENTS = "INSERT INTO webhook_event (event_id, account_id, type, body) "
            + "SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[]) ON CONFLICT (event_id) DO NOTHING";
    private static final String INSERT_DELIVERIES = "INSERT INTO webhook_delivery "
            + "(event_id, endpoint_id, account_id, event_type, test, status, next_attempt_at, lease_owner, lease_until) "
            + "SELECT e, p, a, t, ?, 'pending', now(), ?, now() + make_interval(secs => ?) "
            + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS x(e, p, a, t) "
            + "JOIN webhook_endpoint w ON w.id = x.p "
            + "ON CONFLICT (event_id, endpoint_id) DO NOTHING RETURNING id, event_id, endpoint_id, event_type";

    private final DataSource dataSource;

    public IngestRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An event with the endpoints it matched. */
    public record MatchedEvent(String eventId, String accountId, String type, byte[] body, List<String> endpointIds) {
    }

    public List<DeliveryTask> ingest(List<MatchedEvent> events, boolean test, String owner, Duration lease)
            throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        int deliveries = events.stream().mapToInt(e -> e.endpointIds().size()).sum();
        String[] eventIds = new String[events.size()];
        String[] accounts = new String[events.size()];
        String[] types = new String[events.size()];
        byte[][] bodies = new byte[events.size()][];
        String[] dEvents = new String[deliveries];
        String[] dEndpoints = new String[deliveries];
        String[] dAccounts = new String[deliveries];
        String[] dTypes = new String[deliveries];
        Map<String, byte[]> bodyById = new java.util.HashMap<>();
        int i = 0;
        int j = 0;
        for (MatchedEvent e : events) {
            eventIds[i] = e.eventId();
            accounts[i] = e.accountId();
            types[i] = e.type();
            bodies[i++] = e.body();
            bodyById.put(e.eventId(), e.body());
            for (String endpoint : e.endpointIds()) {
                dEvents[j] = e.eventId();
                dEndpoints[j] = endpoint;
                dAccounts[j] = e.accountId();
                dTypes[j++] = e.type();
            }
        }
        long now = System.nanoTime();
        List<DeliveryTask> created = new ArrayList<>(deliveries);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(INSERT_EVENTS)) {
                    ps.setArray(1, c.createArrayOf("text", eventIds));
                    ps.setArray(2, c.createArrayOf("text", accounts));
                    ps.setArray(3, c.createArrayOf("text", types));
                    ps.setArray(4, c.createArrayOf("bytea", bodies));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(INSERT_DELIVERIES)) {
                    ps.setBoolean(1, test);
                    ps.setString(2, owner);
                    ps.setDouble(3, lease.toMillis() / 1000.0);
                    ps.setArray(4, c.createArrayOf("text", dEvents));
                    ps.setArray(5, c.createArrayOf("text", dEndpoints));
                    ps.setArray(6, c.createArrayOf("text", dAccounts));
                    ps.setArray(7, c.createArrayOf("text", dTypes));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String eventId = rs.getString(2);
                            created.add(new DeliveryTask(rs.getLong(1), eventId, rs.getString(4), rs.getString(3),
                                    bodyById.get(eventId), 0, 0, now));
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return created;
    }
}
