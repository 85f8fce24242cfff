package io.cloudnexus.cluster.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.cloudnexus.cluster.domain.Cluster;
import io.cloudnexus.cluster.domain.NodePool;
import io.cloudnexus.cluster.repository.ClusterEntity;
import io.cloudnexus.cluster.repository.ClusterProjector;
import io.cloudnexus.cluster.repository.DeploymentEntity;
import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.events.DeploymentStarted;
import io.cloudnexus.eventstore.EventStore;
import io.cloudnexus.eventstore.NewEvent;
import io.cloudnexus.eventstore.StoredEvent;

/**
 * Every change to clusters and deployments: load the aggregate from its events, decide, append the new events
 * and update the read models in ONE transaction. A concurrent change of the same cluster surfaces as
 * {@link io.cloudnexus.eventstore.ConcurrencyConflict} (409 for API callers, a retry for the simulators).
 */
@ApplicationScoped
public class ClusterCommands {

    private final EventStore store;
    private final ClusterProjector projector;

    public ClusterCommands(EventStore store, ClusterProjector projector) {
        this.store = store;
        this.projector = projector;
    }

    /** Records cluster.created; its nodes join afterwards. */
    @Transactional
    public ClusterEntity create(String accountId, String name, String region, String version, List<NodePool> pools) {
        String id = ResourceIds.newId(ResourceIds.CLUSTER);
        append(accountId, id, 0, List.of(Cluster.create(id, name, region, version, pools)));
        return ClusterEntity.findById(id);
    }

    /** Records cluster.scaled for a pool given more nodes (no change records nothing). */
    @Transactional
    public ClusterEntity scalePool(String accountId, String id, String pool, int count) {
        Cluster cluster = load(accountId, id);
        append(accountId, id, cluster.version(), cluster.scalePool(pool, count));
        return ClusterEntity.findById(id);
    }

    /** Fails pending deployments and records cluster.deleted. */
    @Transactional
    public ClusterEntity delete(String accountId, String id) {
        Cluster cluster = load(accountId, id);
        append(accountId, id, cluster.version(), cluster.delete());
        return ClusterEntity.findById(id);
    }

    /** Records deployment.started; the outcome follows when the deployment is due. */
    @Transactional
    public DeploymentEntity deploy(String accountId, String id, String image, int replicas) {
        Cluster cluster = load(accountId, id);
        NewEvent started = cluster.startDeployment(image, replicas);
        append(accountId, id, cluster.version(), List.of(started));
        return DeploymentEntity.findById(
                started.payload(DeploymentStarted.class).deploymentId());
    }

    /** The node joiner's step: the nodes due by now join (how many; 0 if none is due or the cluster is gone). */
    @Transactional
    public int joinDueNodes(String id, Duration delay, int max) {
        Cluster cluster = Cluster.replay(store.load(id));
        return cluster == null
                ? 0
                : append(cluster.accountId(), id, cluster.version(), cluster.joinDueNodes(delay, Instant.now(), max))
                        .size();
    }

    /** The deployment runner's step: records the outcome (false if already recorded). */
    @Transactional
    public boolean finishDeployment(String clusterId, String deploymentId) {
        Cluster cluster = Cluster.replay(store.load(clusterId));
        return cluster != null
                && !append(cluster.accountId(), clusterId, cluster.version(), cluster.finishDeployment(deploymentId))
                        .isEmpty();
    }

    /** The caller's cluster, rebuilt from its events; another account's or an unknown id is a 404. */
    private Cluster load(String accountId, String id) {
        if (!ResourceIds.isValid(ResourceIds.CLUSTER, id)) {
            throw ProblemException.notFound("Cluster", id);
        }
        Cluster cluster = Cluster.replay(store.load(id));
        if (cluster == null || !cluster.belongsTo(accountId)) {
            throw ProblemException.notFound("Cluster", id);
        }
        return cluster;
    }

    private List<StoredEvent> append(String accountId, String id, int version, List<NewEvent> events) {
        List<StoredEvent> stored = store.append(accountId, Cluster.AGGREGATE, id, version, events);
        projector.apply(stored);
        return stored;
    }
}
