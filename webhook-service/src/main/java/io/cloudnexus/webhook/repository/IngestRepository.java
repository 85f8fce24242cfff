package io.cloudnexus.webhook.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.delivery.DeliveryTask;
import io.cloudnexus.webhook.domain.DeliveryStatus;
import io.cloudnexus.webhook.domain.EndpointStatus;
import io.cloudnexus.webhook.events.FeedPosition;

/**
 * Persists every event (matched or not: the Events API lists them all) and its deliveries with ONE set-based
 * statement per transaction, in autocommit: one PostgreSQL round trip per chunk, commit included (the envelope
 * stored once per event; deliveries deduplicated on (event, endpoint)).
 * A transaction holds at most {@code chunk} rows: each delivery is one, and an event without deliveries is one (an
 * event with deliveries rides along with them), so an event fanned out to thousands of endpoints is split over
 * several and a poll of unmatched events is written in as few. Each newly created delivery is either leased to the
 * calling replica (its endpoint is active and it has room for it in memory; handed back to be sent at once) or left
 * unleased and due (over its endpoint's cap, or the endpoint is paused: held in PostgreSQL until it is resumed; the
 * scheduler claims it when the lane has room).
 */
@ApplicationScoped
public class IngestRepository {

    /** The chunk's events (every one, matched or not; again if an earlier chunk had them: DO NOTHING). */
    private static final String INSERT_EVENTS =
            "INSERT INTO webhook_event (event_id, account_id, type, body, resource_id, occurred_at, feed_ts, feed_topic, "
                    + "feed_partition, feed_offset, test) SELECT x.*, ? FROM unnest(?::text[], ?::text[], ?::text[], "
                    + "?::bytea[], ?::text[], ?::timestamptz[], ?::bigint[], ?::text[], ?::int[], ?::bigint[]) "
                    + "AS x ON CONFLICT (event_id) DO NOTHING";
    /**
     * The chunk's events and deliveries in ONE statement (the events' INSERT as a data-modifying CTE): one round
     * trip, and in autocommit its own transaction, committed before the server answers. The deliveries'
     * {@code REFERENCES webhook_event} is checked at the end of the statement, when the CTE's rows are in.
     */
    private static final String INSERT_EVENTS_AND_DELIVERIES = "WITH events AS (" + INSERT_EVENTS + ") "
            + "INSERT INTO webhook_delivery "
            + "(event_id, endpoint_id, account_id, event_type, test, status, next_attempt_at, lease_owner, lease_until, "
            + "started_attempts) "
            + "SELECT e, p, a, t, ?, " + DeliveryStatus.PENDING.sql() + ", now(), CASE WHEN x.h THEN ? END, "
            + "CASE WHEN x.h THEN now() + make_interval(secs => ?) END, CASE WHEN x.h THEN 1 ELSE 0 END "
            // held (leased) only for an endpoint that is active now: a paused endpoint's deliveries wait unleased
            + "FROM (SELECT u.e, u.p, u.a, u.t, u.h AND w.status = " + EndpointStatus.ACTIVE.sql() + " AS h "
            + "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[]) AS u(e, p, a, t, h) "
            + "JOIN webhook_endpoint w ON w.id = u.p) x "
            + "ON CONFLICT (event_id, endpoint_id) DO NOTHING RETURNING id, event_id, endpoint_id, event_type, lease_owner";

    private final DataSource dataSource;

    public IngestRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * An event with the endpoints it matched (possibly none).
     *
     * @param resourceId the aggregate it is about ({@code ce_subject}), or null
     * @param occurredAt the envelope's timestamp
     * @param position   where its record is in Kafka (the streams' order); null for a test event
     */
    public record MatchedEvent(
            String eventId,
            String accountId,
            String type,
            byte[] body,
            String resourceId,
            Instant occurredAt,
            FeedPosition position,
            List<String> endpointIds) {}

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
     * Persists the events and their deliveries in transactions of at most {@code chunk} rows; when it returns, all
     * of them are durable (only then may the caller commit the Kafka offsets). {@code test} marks both the events
     * and the deliveries as made by a test send.
     */
    public Ingested ingest(List<MatchedEvent> events, boolean test, String owner, Duration lease, int chunk, Sink sink)
            throws SQLException {
        int size = Math.max(1, chunk);
        long remaining = events.stream().mapToLong(IngestRepository::rows).sum();
        Chunk current = new Chunk((int) Math.min(size, remaining));
        int created = 0;
        long lastId = 0;
        Map<String, Integer> leasedPerEndpoint = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true); // each chunk is one statement, so its own transaction
            for (MatchedEvent e : events) {
                if (e.endpointIds().isEmpty()) {
                    if (current.rows == current.capacity()) {
                        Ingested done = write(c, current, test, owner, lease, sink);
                        created += done.created();
                        lastId = Math.max(lastId, done.lastId());
                        remaining -= current.rows;
                        current = new Chunk((int) Math.min(size, remaining));
                        leasedPerEndpoint.clear();
                    }
                    current.addEvent(e);
                    continue;
                }
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

    /** The rows an event takes in a chunk: one per delivery, or one for the event alone. */
    private static long rows(MatchedEvent e) {
        return Math.max(1, e.endpointIds().size());
    }

    /**
     * One transaction, one statement, one round trip: the chunk's events (again if an earlier chunk had them: DO
     * NOTHING) and deliveries, committed when it returns (autocommit).
     */
    private Ingested write(Connection c, Chunk chunk, boolean test, String owner, Duration lease, Sink sink)
            throws SQLException {
        int n = chunk.events.size();
        String[] eventIds = new String[n];
        String[] accounts = new String[n];
        String[] types = new String[n];
        byte[][] bodies = new byte[n][];
        String[] resources = new String[n];
        String[] times = new String[n];
        Long[] feedTs = new Long[n];
        String[] feedTopics = new String[n];
        Integer[] feedPartitions = new Integer[n];
        Long[] feedOffsets = new Long[n];
        Map<String, byte[]> bodyById = new HashMap<>();
        int i = 0;
        for (MatchedEvent e : chunk.events.values()) {
            eventIds[i] = e.eventId();
            accounts[i] = e.accountId();
            types[i] = e.type();
            resources[i] = e.resourceId();
            times[i] = e.occurredAt().toString();
            if (e.position() != null) {
                feedTs[i] = e.position().timestampMs();
                feedTopics[i] = e.position().topic();
                feedPartitions[i] = e.position().partition();
                feedOffsets[i] = e.position().offset();
            }
            bodies[i++] = e.body();
            bodyById.put(e.eventId(), e.body());
        }
        long now = System.nanoTime();
        List<DeliveryTask> leased = new ArrayList<>();
        int created = 0;
        long lastId = 0;
        int d = chunk.deliveries;
        try (PreparedStatement ps = c.prepareStatement(d > 0 ? INSERT_EVENTS_AND_DELIVERIES : INSERT_EVENTS)) {
            ps.setBoolean(1, test);
            ps.setArray(2, c.createArrayOf("text", eventIds));
            ps.setArray(3, c.createArrayOf("text", accounts));
            ps.setArray(4, c.createArrayOf("text", types));
            ps.setArray(5, c.createArrayOf("bytea", bodies));
            ps.setArray(6, c.createArrayOf("text", resources));
            ps.setArray(7, c.createArrayOf("text", times));
            ps.setArray(8, c.createArrayOf("bigint", feedTs));
            ps.setArray(9, c.createArrayOf("text", feedTopics));
            ps.setArray(10, c.createArrayOf("int", feedPartitions));
            ps.setArray(11, c.createArrayOf("bigint", feedOffsets));
            if (d == 0) {
                ps.executeUpdate();
            } else {
                ps.setBoolean(12, test);
                ps.setString(13, owner);
                ps.setDouble(14, lease.toMillis() / 1000.0);
                ps.setArray(15, c.createArrayOf("text", Arrays.copyOf(chunk.dEvents, d)));
                ps.setArray(16, c.createArrayOf("text", Arrays.copyOf(chunk.dEndpoints, d)));
                ps.setArray(17, c.createArrayOf("text", Arrays.copyOf(chunk.dAccounts, d)));
                ps.setArray(18, c.createArrayOf("text", Arrays.copyOf(chunk.dTypes, d)));
                ps.setArray(19, c.createArrayOf("boolean", Arrays.copyOf(chunk.dHold, d)));
                // in autocommit the driver reads the whole answer, up to the server's ReadyForQuery, which comes
                // after the commit: once executeQuery returns, every row below is durable
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
        }
        sink.committed(leased);
        return new Ingested(created, lastId);
    }

    /** The rows of one transaction: deliveries, and events alone (those without deliveries). */
    private static final class Chunk {
        final Map<String, MatchedEvent> events = new LinkedHashMap<>();
        int deliveries;
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
            dEvents[deliveries] = e.eventId();
            dEndpoints[deliveries] = endpoint;
            dAccounts[deliveries] = e.accountId();
            dTypes[deliveries] = e.type();
            dHold[deliveries++] = hold;
            rows++;
        }

        /** An event without deliveries: one row of the chunk. */
        void addEvent(MatchedEvent e) {
            events.putIfAbsent(e.eventId(), e);
            rows++;
        }
    }
}
