package io.cloudnexus.common.problem;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Whether a failure means that a dependency (the database, the Kafka cluster) is unreachable for now, rather than
 * a defect: the one classification behind every service's 503. It looks through every wrapper (the event store's
 * exception, Hibernate's and JPA's, transaction and CDI wrappers, suppressed exceptions, SQL exception chains) for:
 * <ul>
 * <li>an {@link SQLException} of SQLState class {@code 08} (connection exception), {@code 57P01}
 * admin_shutdown, {@code 57P02} crash_shutdown, {@code 57P03} cannot_connect_now or {@code 53300}
 * too_many_connections;</li>
 * <li>{@link SQLTransientConnectionException}, {@link SQLRecoverableException}, an Agroal acquisition timeout;</li>
 * <li>Hibernate's {@code JDBCConnectionException}, Kafka's {@code TimeoutException} and
 * {@code DisconnectException} (matched by name: not every service has those libraries).</li>
 * </ul>
 */
public final class DependencyOutage {

    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");
    private static final Set<String> UNAVAILABLE_TYPES = Set.of(
            "org.hibernate.exception.JDBCConnectionException",
            "org.apache.kafka.common.errors.TimeoutException",
            "org.apache.kafka.common.errors.DisconnectException");
    private static final int MAX_DEPTH = 64;

    private DependencyOutage() {}

    /** True if {@code failure}, or anything it wraps, says a dependency is unreachable. */
    public static boolean isCause(Throwable failure) {
        return find(failure, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
    }

    private static boolean find(Throwable t, Set<Throwable> seen, int depth) {
        if (t == null || depth > MAX_DEPTH || !seen.add(t)) {
            return false;
        }
        if (matches(t)) {
            return true;
        }
        if (t instanceof SQLException sql && find(sql.getNextException(), seen, depth + 1)) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (find(s, seen, depth + 1)) {
                return true;
            }
        }
        return find(t.getCause(), seen, depth + 1);
    }

    static boolean matches(Throwable t) {
        if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            if (state.startsWith("08") || UNAVAILABLE_STATES.contains(state)) {
                return true;
            }
        }
        if (t instanceof SQLException
                && t.getMessage() != null
                && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout")) {
            return true; // Agroal: "Sorry, acquisition timeout!" (a plain SQLException without a state)
        }
        for (Class<?> c = t.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            if (UNAVAILABLE_TYPES.contains(c.getName())) {
                return true;
            }
        }
        return false;
    }
}
