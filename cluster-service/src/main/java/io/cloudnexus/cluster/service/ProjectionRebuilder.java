package io.cloudnexus.cluster.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.cloudnexus.cluster.repository.ClusterProjector;
import io.cloudnexus.eventstore.EventStore;

/**
 * Rebuilds the read models ({@code cluster}, {@code deployment}) from the event store: empties them and replays
 * every event through {@link ClusterProjector}, in one transaction (readers see the old rows until it commits).
 * Run it with {@code java -jar quarkus-run.jar --rebuild-projections}.
 */
@ApplicationScoped
public class ProjectionRebuilder {

    private static final Logger LOG = Logger.getLogger(ProjectionRebuilder.class);
    private static final int PAGE = 1000;

    private final EventStore store;
    private final ClusterProjector projector;
    private final EntityManager em;

    public ProjectionRebuilder(EventStore store, ClusterProjector projector, EntityManager em) {
        this.store = store;
        this.projector = projector;
        this.em = em;
    }

    /** Returns how many events were replayed. */
    @Transactional
    public long rebuild() {
        em.createNativeQuery("LOCK TABLE cluster, deployment IN EXCLUSIVE MODE").executeUpdate();
        em.createNativeQuery("DELETE FROM deployment").executeUpdate();
        em.createNativeQuery("DELETE FROM cluster").executeUpdate();
        long[] count = { 0 };
        long replayed = store.replay(PAGE, event -> {
            projector.apply(event);
            if (++count[0] % PAGE == 0) {
                em.flush();
                em.clear();
            }
        });
        LOG.infof("Rebuilt the cluster read models from %d events", replayed);
        return replayed;
    }
}
