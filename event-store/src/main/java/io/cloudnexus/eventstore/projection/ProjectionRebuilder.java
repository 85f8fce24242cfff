package io.cloudnexus.eventstore.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.cloudnexus.eventstore.EventStore;
import io.cloudnexus.eventstore.EventStoreException;
import io.quarkus.arc.Unremovable;

/**
 * Rebuilds a service's read models from its event store: locks and empties the {@link Projection}'s tables,
 * then replays every event through it, all in one transaction (readers see the old rows until it commits).
 * Services run it with {@code java -jar quarkus-run.jar --rebuild-projections} (a programmatic lookup, hence
 * {@code @Unremovable}); a service without read models (no {@link Projection} bean) has nothing to rebuild.
 */
@Unremovable
@ApplicationScoped
public class ProjectionRebuilder {

    private static final Logger LOG = Logger.getLogger(ProjectionRebuilder.class);
    private static final int PAGE = 1000;

    private final EventStore store;
    private final Instance<Projection> projections;
    private final DataSource dataSource;
    private final EntityManager em;

    public ProjectionRebuilder(
            EventStore store, Instance<Projection> projections, DataSource dataSource, EntityManager em) {
        this.store = store;
        this.projections = projections;
        this.dataSource = dataSource;
        this.em = em;
    }

    /** Returns how many events were replayed. */
    @Transactional
    public long rebuild() {
        if (!projections.isResolvable()) {
            throw new IllegalStateException("This service has no single Projection bean to rebuild");
        }
        Projection projection = projections.get();
        String tables = String.join(", ", projection.tables());
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("LOCK TABLE " + tables + " IN EXCLUSIVE MODE");
            for (String table : projection.tables()) {
                s.executeUpdate("DELETE FROM " + table);
            }
        } catch (SQLException e) {
            throw new EventStoreException("Could not empty the read models " + tables, e);
        }
        long[] count = {0};
        long replayed = store.replay(PAGE, event -> {
            projection.apply(event);
            if (++count[0] % PAGE == 0) {
                em.flush();
                em.clear();
            }
        });
        LOG.infof("Rebuilt the read models (%s) from %d events", tables, replayed);
        return replayed;
    }
}
