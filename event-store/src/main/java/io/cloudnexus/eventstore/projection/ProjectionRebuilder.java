package io.cloudnexus.eventstore.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.cloudnexus.eventstore.EventStore;
import io.cloudnexus.eventstore.EventStoreException;

/**
 * Rebuilds a service's read models from its event store: locks and empties the {@link Projection}'s tables,
 * then replays every event through it, all in one transaction (readers see the old rows until it commits).
 * Services run it with {@code java -jar quarkus-run.jar --rebuild-projections}.
 */
@ApplicationScoped
public class ProjectionRebuilder {

    private static final Logger LOG = Logger.getLogger(ProjectionRebuilder.class);
    private static final int PAGE = 1000;

    private final EventStore store;
    private final Projection projection;
    private final DataSource dataSource;

    public ProjectionRebuilder(EventStore store, Projection projection, DataSource dataSource) {
        this.store = store;
        this.projection = projection;
        this.dataSource = dataSource;
    }

    /** Returns how many events were replayed. */
    @Transactional
    public long rebuild() {
        String tables = String.join(", ", projection.tables());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("LOCK TABLE " + tables + " IN EXCLUSIVE MODE");
            for (String table : projection.tables()) {
                s.executeUpdate("DELETE FROM " + table);
            }
        } catch (SQLException e) {
            throw new EventStoreException("Could not empty the read models " + tables, e);
        }
        long[] count = { 0 };
        long replayed = store.replay(PAGE, event -> {
            projection.apply(event);
            if (++count[0] % PAGE == 0) {
                projection.afterPage();
            }
        });
        projection.afterPage();
        LOG.infof("Rebuilt the read models (%s) from %d events", tables, replayed);
        return replayed;
    }
}
