package io.cloudnexus.fault;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import io.cloudnexus.testsupport.PostgresDatabaseResource;

/**
 * Write pressure on the shared PostgreSQL server while a scenario runs: another client fills and empties a table of
 * its own database (about 250 MB of WAL per round) and forces a checkpoint, so the scenario's commits wait for a
 * busy disk as they do on a loaded CI machine. Off unless the scenario's {@code *.database-pressure} is true.
 */
final class DatabasePressure implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    private DatabasePressure(String jdbcUrl) {
        thread = new Thread(() -> run(jdbcUrl), "fault-database-pressure");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts the pressure if {@code enabled}; closing the result stops it (a no-op when not enabled). */
    static DatabasePressure startIf(boolean enabled) {
        return enabled ? new DatabasePressure(PostgresDatabaseResource.recreate("cn_fault_pressure")) : null;
    }

    private void run(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(
                        jdbcUrl, PostgresDatabaseResource.user(), PostgresDatabaseResource.password());
                Statement st = c.createStatement()) {
            connection = c;
            st.execute("CREATE TABLE IF NOT EXISTS pressure (id bigint, pad text)");
            while (running) {
                st.execute("INSERT INTO pressure SELECT g, repeat('x', 200) FROM generate_series(1, 1000000) g");
                st.execute("DELETE FROM pressure");
                try {
                    st.execute("CHECKPOINT");
                } catch (SQLException e) {
                    // not allowed for this role: the WAL volume alone still loads the disk
                }
            }
        } catch (SQLException e) {
            if (running) {
                System.err.println("database pressure stopped: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run); // ends the statement under way
            } catch (SQLException e) {
                // already closed
            }
        }
        thread.join(10_000);
    }
}
