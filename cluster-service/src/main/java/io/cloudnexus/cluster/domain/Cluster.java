package io.cloudnexus.cluster.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.events.ClusterCreated;
import io.cloudnexus.contracts.events.ClusterDeleted;
import io.cloudnexus.contracts.events.ClusterNodeJoined;
import io.cloudnexus.contracts.events.ClusterScaled;
import io.cloudnexus.contracts.events.DeploymentFailed;
import io.cloudnexus.contracts.events.DeploymentStarted;
import io.cloudnexus.contracts.events.DeploymentSucceeded;
import io.cloudnexus.contracts.events.EventData;
import io.cloudnexus.eventstore.NewEvent;
import io.cloudnexus.eventstore.StoredEvent;

/**
 * The cluster aggregate: its state is the fold of its events; its methods decide which events a command records
 * (or refuse it). Deployments belong to the cluster's stream, so they are ordered with its lifecycle and share
 * its Kafka key.
 */
public final class Cluster {

    /** The aggregate type of clusters in the event store. */
    public static final String AGGREGATE = "cluster";

    private final String id;
    private final String accountId;
    private String region;
    private final Map<String, NodePool> pools = new LinkedHashMap<>();
    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    private int nodeCount;
    private boolean deleted;
    private int version;
    private Instant lastEventAt;

    private Cluster(String id, String accountId) {
        this.id = id;
        this.accountId = accountId;
    }

    /** Rebuilds a cluster from its events (oldest first); null if there are none. */
    public static Cluster replay(List<StoredEvent> events) {
        if (events.isEmpty()) {
            return null;
        }
        Cluster cluster = new Cluster(events.get(0).aggregateId(), events.get(0).accountId());
        events.forEach(e -> {
            cluster.apply(e.payload(), e.version());
            cluster.lastEventAt = e.occurredAt();
        });
        return cluster;
    }

    /** The cluster.created event of a new cluster (pools with nothing joined yet). */
    public static NewEvent create(String id, String name, String region, String version, List<NodePool> pools) {
        return NewEvent.of(new ClusterCreated(
                id,
                name,
                region,
                version,
                pools.stream()
                        .map(p -> new ClusterCreated.NodePool(p.name(), p.size(), p.count()))
                        .toList()));
    }

    private void apply(EventData data, int eventVersion) {
        if (data instanceof ClusterCreated created) {
            region = created.region();
            created.nodePools().forEach(p -> pools.put(p.name(), NodePool.created(p)));
        } else if (data instanceof ClusterNodeJoined joined) {
            NodePool pool = pools.get(joined.nodePool());
            pools.put(pool.name(), pool.withJoined(pool.joined() + 1));
            nodeCount = joined.nodeCount();
        } else if (data instanceof ClusterScaled scaled) {
            NodePool pool = pools.get(scaled.nodePool());
            pools.put(pool.name(), pool.withCount(scaled.count()));
        } else if (data instanceof ClusterDeleted) {
            deleted = true;
        } else if (data instanceof DeploymentStarted started) {
            deployments.put(
                    started.deploymentId(),
                    new Deployment(started.deploymentId(), started.image(), started.replicas(), true));
        } else if (data instanceof DeploymentSucceeded succeeded) {
            finished(succeeded.deploymentId());
        } else if (data instanceof DeploymentFailed failed) {
            finished(failed.deploymentId());
        } else {
            throw new IllegalStateException("Not a cluster event type: " + data.type());
        }
        version = eventVersion;
    }

    private void finished(String deploymentId) {
        Deployment d = deployments.get(deploymentId);
        deployments.put(d.id(), new Deployment(d.id(), d.image(), d.replicas(), false));
    }

    /**
     * cluster.node.joined for every node due by {@code now}: the nodes still to join (first pool first) join one
     * after another, {@code delay} apart, starting {@code delay} after the cluster's last event; each event is
     * timestamped with its node's due time, so the timeline does not depend on how often the joiner runs. At
     * most {@code max} nodes; nothing if the cluster is deleted or complete.
     */
    public List<NewEvent> joinDueNodes(Duration delay, Instant now, int max) {
        List<NewEvent> events = new ArrayList<>();
        if (deleted) {
            return events;
        }
        Instant due = lastEventAt.plus(delay);
        int count = nodeCount;
        for (NodePool pool : pools.values()) {
            for (int n = pool.joined() + 1; n <= pool.count() && !due.isAfter(now) && events.size() < max; n++) {
                String nodeId = pool.name() + "-" + n + "-" + suffix();
                events.add(NewEvent.of(new ClusterNodeJoined(id, nodeId, pool.name(), pool.size(), ++count), due));
                due = due.plus(delay);
            }
        }
        return events;
    }

    /** cluster.scaled giving {@code poolName} more nodes; they join afterwards. Fewer nodes is refused. */
    public List<NewEvent> scalePool(String poolName, int count) {
        requireNotDeleted();
        NodePool pool = pools.get(poolName);
        if (pool == null) {
            throw ProblemException.notFound("Node pool", poolName);
        }
        if (count < pool.count()) {
            throw ProblemException.invalidField(
                    "count",
                    "must be at least the pool's current count (" + pool.count() + "); node pools only grow",
                    null);
        }
        if (count == pool.count()) {
            return List.of();
        }
        return List.of(NewEvent.of(new ClusterScaled(id, pool.name(), pool.size(), pool.count(), count)));
    }

    /** deployment.failed (reason cluster_deleted) for every pending deployment, then cluster.deleted. */
    public List<NewEvent> delete() {
        requireNotDeleted();
        List<NewEvent> events = new ArrayList<>();
        DeploymentRules.Failure gone = new DeploymentRules.Failure(
                DeploymentRules.CLUSTER_DELETED, "The cluster was deleted before the deployment finished");
        deployments.values().stream()
                .filter(Deployment::pending)
                .forEach(d -> events.add(NewEvent.of(failed(d, gone))));
        events.add(NewEvent.of(new ClusterDeleted(id, region)));
        return events;
    }

    /** deployment.started for a new deployment; its outcome is recorded later by {@link #finishDeployment}. */
    public NewEvent startDeployment(String image, int replicas) {
        requireNotDeleted();
        Deployment d = new Deployment(ResourceIds.newId(ResourceIds.DEPLOYMENT), image, replicas, true);
        return NewEvent.of(new DeploymentStarted(d.id(), id, d.image(), d.replicas()));
    }

    /** deployment.succeeded or deployment.failed (see {@link DeploymentRules}); nothing if already finished. */
    public List<NewEvent> finishDeployment(String deploymentId) {
        Deployment d = deployments.get(deploymentId);
        if (d == null || !d.pending() || deleted) {
            return List.of();
        }
        Optional<DeploymentRules.Failure> failure = DeploymentRules.outcome(d.image(), d.replicas(), capacity());
        return List.of(NewEvent.of(failure.<EventData>map(f -> failed(d, f))
                .orElseGet(() -> new DeploymentSucceeded(d.id(), id, d.image(), d.replicas()))));
    }

    private DeploymentFailed failed(Deployment d, DeploymentRules.Failure failure) {
        return new DeploymentFailed(d.id(), id, d.image(), d.replicas(), failure.reason(), failure.message());
    }

    /** Pods the cluster runs at its desired node counts. */
    public int capacity() {
        return pools.values().stream().mapToInt(NodePool::capacity).sum();
    }

    private void requireNotDeleted() {
        if (deleted) {
            throw ProblemException.conflict("Cluster '" + id + "' is deleted; it cannot be changed.");
        }
    }

    private static String suffix() {
        String alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
        StringBuilder s = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            s.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return s.toString();
    }

    public String id() {
        return id;
    }

    public String accountId() {
        return accountId;
    }

    public int version() {
        return version;
    }

    public boolean belongsTo(String account) {
        return Objects.equals(accountId, account);
    }
}
