package io.cloudnexus.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.eventstore.tracing.TraceParent;

/**
 * The append-only event store of one service database (table {@code event_store}).
 *
 * <p>{@link #append} runs in the caller's transaction (it is {@code MANDATORY}), so a command writes its
 * events and its read-model rows atomically; nothing here talks to Kafka: unpublished rows are the
 * outbox that {@link io.cloudnexus.eventstore.outbox.OutboxRelay} drains after commit.
 */
@ApplicationScoped
public class EventStore {

    /** The unique constraint whose violation means a concurrent append (see V1__event_store.sql). */
    static final String VERSION_CONSTRAINT = "event_store_aggregate_version";

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS =
            "global_seq, event_id, account_id, aggregate_type, aggregate_id, version, type, data::text, occurred_at";

    private final DataSource dataSource;
    private final Event<EventsAppended> appended;
    private final EventCatalog catalog = EventCatalog.load();

    @Inject
    public EventStore(DataSource dataSource, Event<EventsAppended> appended) {
        this.dataSource = dataSource;
        this.appended = appended;
    }

    /**
     * Appends {@code events} to an aggregate that the caller loaded at {@code expectedVersion} (0 for a new
     * aggregate): they get versions {@code expectedVersion + 1, + 2, ...}.
     *
     * @return the stored events, in order
     * @throws ConcurrencyConflict if another transaction already appended one of those versions
     * @throws IllegalArgumentException if an event's data does not validate against the event catalog
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<StoredEvent> append(
            String accountId, String aggregateType, String aggregateId, int expectedVersion, List<NewEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        for (NewEvent event : events) {
            List<String> violations = catalog.validate(event.type(), event.data());
            if (!violations.isEmpty()) {
                throw new IllegalArgumentException(
                        "Event " + event.type() + " for " + aggregateId + " does not match the catalog: " + violations);
            }
        }
        StringBuilder sql = new StringBuilder("INSERT INTO event_store (event_id, account_id, aggregate_type, "
                + "aggregate_id, version, type, data, occurred_at, traceparent) VALUES ");
        for (int i = 0; i < events.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?::jsonb,?,?)");
        }
        // the request's trace (null with tracing off): the relay continues it on its own thread (docs/tracing.md)
        String traceparent = TraceParent.current();
        sql.append(" RETURNING global_seq");
        List<StoredEvent> stored = new ArrayList<>(events.size());
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (int i = 0; i < events.size(); i++) {
                NewEvent e = events.get(i);
                ps.setString(p++, e.eventId());
                ps.setString(p++, accountId);
                ps.setString(p++, aggregateType);
                ps.setString(p++, aggregateId);
                ps.setInt(p++, expectedVersion + i + 1);
                ps.setString(p++, e.type());
                ps.setString(p++, CanonicalJson.toJson(e.data()));
                ps.setTimestamp(p++, Timestamp.from(e.occurredAt()));
                ps.setString(p++, traceparent);
            }
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    NewEvent e = events.get(i);
                    stored.add(new StoredEvent(
                            rs.getLong(1),
                            e.eventId(),
                            accountId,
                            aggregateType,
                            aggregateId,
                            expectedVersion + i + 1,
                            e.type(),
                            e.data(),
                            e.occurredAt()));
                }
            }
        } catch (SQLException e) {
            if (isVersionConflict(e)) {
                throw new ConcurrencyConflict(aggregateId, expectedVersion);
            }
            throw new EventStoreException("Could not append to " + aggregateId, e);
        }
        if (appended != null) {
            appended.fire(new EventsAppended(stored.size()));
        }
        return stored;
    }

    /** Every event of one aggregate, by version (empty if it does not exist). */
    public List<StoredEvent> load(String aggregateId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM event_store WHERE aggregate_id = ? ORDER BY version")) {
            ps.setString(1, aggregateId);
            return readAll(ps);
        } catch (SQLException e) {
            throw new EventStoreException("Could not load " + aggregateId, e);
        }
    }

    /**
     * Replays the whole store in {@code global_seq} order, page by page ({@code pageSize} rows per query),
     * into {@code sink}: what a projection rebuild runs, usually inside one transaction.
     *
     * @return how many events were replayed
     */
    public long replay(int pageSize, Consumer<StoredEvent> sink) {
        long after = 0;
        long count = 0;
        while (true) {
            List<StoredEvent> page;
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                            + " FROM event_store WHERE global_seq > ? ORDER BY global_seq LIMIT ?")) {
                ps.setLong(1, after);
                ps.setInt(2, pageSize);
                page = readAll(ps);
            } catch (SQLException e) {
                throw new EventStoreException("Could not replay the event store", e);
            }
            page.forEach(sink);
            count += page.size();
            if (page.size() < pageSize) {
                return count;
            }
            after = page.get(page.size() - 1).globalSeq();
        }
    }

    private static List<StoredEvent> readAll(PreparedStatement ps) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                events.add(new StoredEvent(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getInt(6),
                        rs.getString(7),
                        CanonicalJson.parse(rs.getString(8)),
                        rs.getTimestamp(9).toInstant()));
            }
        }
        return events;
    }

    static boolean isVersionConflict(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (UNIQUE_VIOLATION.equals(s.getSQLState())
                    && s.getMessage() != null
                    && s.getMessage().contains(VERSION_CONSTRAINT)) {
                return true;
            }
        }
        return false;
    }
}
