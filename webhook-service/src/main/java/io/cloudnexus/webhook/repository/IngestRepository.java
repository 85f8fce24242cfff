package io.cloudnexus.webhook.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.delivery.DeliveryTask;
import io.cloudnexus.webhook.domain.DeliveryStatus;

/**
 * Persists matched events and their deliveries with two set-based statements per transaction (the envelope
 * stored once per event; deliveries deduplicated on (event, endpoint)), at most {@code chunk} delivery rows per
 * transaction: an event fanned out to thousands of endpoints is split over several. Each newly created delivery
 * is either leased to the calling replica (it has room for it in memory; handed back to be sent at once) or left
 * unleased and due (over its endpoint's cap; the scheduler claims it when the lane has room).
 */
@ApplicationScoped
public class IngestRepository {

    private static final String INSERT_EVENTS = "INSERT INTO webhook_event (event_id, account_id, type, body) "
            + "SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[]) ON CONFLICT (event_id) DO NOTHING";
    private static final String INSERT_DELIVERIES = "INSERT INTO webhook_delivery "
            + "(event_id, endpoint_id, account_id, event_type, test, status, next_attempt_at, lease_owner, lease_until, "
            + "started_attempts) "
            + "SELECT e, p, a, t, ?, " + DeliveryStatus.PENDING.sql() + ", now(), CASE WHEN h THEN ? END, "
            + "CASE WHEN h THEN now() + make_interval(secs => ?) END, CASE WHEN h THEN 1 ELSE 0 END "
            + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[]) AS x(e, p, a, t, h) "
            + "JOIN webhook_endpoint w ON w.id = x.p "
            + "ON CONFLICT (event_id, endpoint_id) DO NOTHING RETURNING id, event_id, endpoint_id, event_type, lease_owner";

    private final DataSource dataSource;

    public IngestRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** An event with the endpoints it matched. */
    public record MatchedEvent(String eventId, String accountId, String type, byte[] body, List<String> endpointIds) {}

    /** Where the committed deliveries go: the dispatcher's room per endpoint, and the leased ones after each commit. */
    public interface Sink {
        /** How many more deliveries of the endpoint the caller can hold in memory now. */
        int room(String endpointId);

        /** A chunk is committed: its new deliveries leased to the caller (to be held and sent). */
        void committed(List<DeliveryTask> leased);
    }

    /** What an ingest created. */
    public record Ingested(int created, long lastId) {}

    /**
     * Persists the events' deliveries in transactions of at most {@code chunk} rows; when it returns, all of them
     * are durable (only then may the caller commit the Kafka offsets).
     */
    public Ingested ingest(List<MatchedEvent> events, boolean test, String owner, Duration lease, int chunk, Sink sink)
            throws SQLException {
        int size = Math.max(1, chunk);
        long remaining = events.stream().mapToLong(e -> e.endpointIds().size()).sum();
        Chunk current = new Chunk((int) Math.min(size, remaining));
        int created = 0;
        long lastId = 0;
        Map<String, Integer> leasedPerEndpoint = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (MatchedEvent e : events) {
                for (String endpoint : e.endpointIds()) {
                    if (current.rows == current.capacity()) {
                        Ingested done = write(c, current, test, owner, lease, sink);
                        created += done.created();
                        lastId = Math.max(lastId, done.lastId());
                        remaining -= current.rows;
                        current = new Chunk((int) Math.min(size, remaining));
                        leasedPerEndpoint.clear();
                    }
                    int already = leasedPerEndpoint.getOrDefault(endpoint, 0);
                    boolean hold = sink.room(endpoint) > already;
                    if (hold) {
                        leasedPerEndpoint.put(endpoint, already + 1);
                    }
                    current.add(e, endpoint, hold);
                }
            }
            if (current.rows > 0) {
                Ingested done = write(c, current, test, owner, lease, sink);
                created += done.created();
                lastId = Math.max(lastId, done.lastId());
            }
        }
        return new Ingested(created, lastId);
    }

    /** One transaction: the chunk's events (again if an earlier chunk had them: DO NOTHING) and deliveries. */
    private Ingested write(Connection c, Chunk chunk, boolean test, String owner, Duration lease, Sink sink)
            throws SQLException {
        int n = chunk.events.size();
        String[] eventIds = new String[n];
        String[] accounts = new String[n];
        String[] types = new String[n];
        byte[][] bodies = new byte[n][];
        Map<String, byte[]> bodyById = new HashMap<>();
        int i = 0;
        for (MatchedEvent e : chunk.events.values()) {
            eventIds[i] = e.eventId();
            accounts[i] = e.accountId();
            types[i] = e.type();
            bodies[i++] = e.body();
            bodyById.put(e.eventId(), e.body());
        }
        long now = System.nanoTime();
        List<DeliveryTask> leased = new ArrayList<>();
        int created = 0;
        long lastId = 0;
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
                ps.setArray(4, c.createArrayOf("text", chunk.dEvents));
                ps.setArray(5, c.createArrayOf("text", chunk.dEndpoints));
                ps.setArray(6, c.createArrayOf("text", chunk.dAccounts));
                ps.setArray(7, c.createArrayOf("text", chunk.dTypes));
                ps.setArray(8, c.createArrayOf("boolean", chunk.dHold));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        created++;
                        lastId = Math.max(lastId, rs.getLong(1));
                        if (rs.getString(5) != null) {
                            String eventId = rs.getString(2);
                            leased.add(new DeliveryTask(
                                    rs.getLong(1),
                                    eventId,
                                    rs.getString(4),
                                    rs.getString(3),
                                    bodyById.get(eventId),
                                    0,
                                    0,
                                    now,
                                    owner));
                        }
                    }
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
        sink.committed(leased);
        return new Ingested(created, lastId);
    }

    /** The rows of one transaction. */
    private static final class Chunk {
        final Map<String, MatchedEvent> events = new LinkedHashMap<>();
        final String[] dEvents;
        final String[] dEndpoints;
        final String[] dAccounts;
        final String[] dTypes;
        final Boolean[] dHold;
        int rows;

        int capacity() {
            return dEvents.length;
        }

        Chunk(int size) {
            dEvents = new String[size];
            dEndpoints = new String[size];
            dAccounts = new String[size];
            dTypes = new String[size];
            dHold = new Boolean[size];
        }

        void add(MatchedEvent e, String endpoint, boolean hold) {
            events.putIfAbsent(e.eventId(), e);
            dEvents[rows] = e.eventId();
            dEndpoints[rows] = endpoint;
            dAccounts[rows] = e.accountId();
            dTypes[rows] = e.type();
            dHold[rows++] = hold;
        }
    }
}
