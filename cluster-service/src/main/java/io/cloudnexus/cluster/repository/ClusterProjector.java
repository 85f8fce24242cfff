package io.cloudnexus.cluster.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.cluster.domain.ClusterStatus;
import io.cloudnexus.cluster.domain.NodePool;
import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.events.ClusterCreated;
import io.cloudnexus.contracts.events.ClusterDeleted;
import io.cloudnexus.contracts.events.ClusterNodeJoined;
import io.cloudnexus.contracts.events.ClusterScaled;
import io.cloudnexus.contracts.events.DeploymentFailed;
import io.cloudnexus.contracts.events.DeploymentStarted;
import io.cloudnexus.contracts.events.DeploymentSucceeded;
import io.cloudnexus.contracts.events.EventData;
import io.cloudnexus.eventstore.StoredEvent;
import io.cloudnexus.eventstore.projection.Projection;

/**
 * Applies cluster events to the read models. The command path calls it in the appending transaction; the
 * rebuild replays the whole store through the very same method, so rebuilt rows equal live ones.
 */
@ApplicationScoped
public class ClusterProjector implements Projection {

    @Override
    public List<String> tables() {
        return List.of("deployment", "cluster");
    }

    @Override
    public void apply(StoredEvent event) {
        EventData data = event.payload();
        if (data instanceof ClusterCreated created) {
            ClusterEntity c = new ClusterEntity();
            c.id = event.aggregateId();
            c.accountId = event.accountId();
            c.name = created.name();
            c.region = created.region();
            c.kubernetesVersion = created.version();
            c.status = ClusterStatus.PROVISIONING.value();
            write(c, created.nodePools().stream().map(NodePool::created).toList());
            c.createdAt = event.occurredAt();
            touch(c, event);
            c.persist();
            return;
        }
        ClusterEntity c = ClusterEntity.findById(event.aggregateId());
        if (c == null) {
            throw new IllegalStateException("No projection of " + event.aggregateId() + " for " + event.type());
        }
        if (data instanceof ClusterNodeJoined joined) {
            write(
                    c,
                    pools(c).stream()
                            .map(p -> p.name().equals(joined.nodePool()) ? p.withJoined(p.joined() + 1) : p)
                            .toList());
            c.nodeCount = joined.nodeCount();
        } else if (data instanceof ClusterScaled scaled) {
            write(
                    c,
                    pools(c).stream()
                            .map(p -> p.name().equals(scaled.nodePool()) ? p.withCount(scaled.count()) : p)
                            .toList());
        } else if (data instanceof ClusterDeleted) {
            c.status = ClusterStatus.DELETED.value();
            c.nodesPending = 0;
        } else if (data instanceof DeploymentStarted started) {
            DeploymentEntity d = new DeploymentEntity();
            d.id = started.deploymentId();
            d.clusterId = c.id;
            d.accountId = event.accountId();
            d.image = started.image();
            d.replicas = started.replicas();
            d.status = "pending";
            d.createdAt = event.occurredAt();
            d.updatedAt = event.occurredAt();
            d.persist();
        } else if (data instanceof DeploymentSucceeded succeeded) {
            finish(succeeded.deploymentId(), "succeeded", null, null, event);
        } else if (data instanceof DeploymentFailed failed) {
            finish(failed.deploymentId(), "failed", failed.reason(), failed.message(), event);
        } else {
            throw new IllegalStateException("Not a cluster event type: " + event.type());
        }
        touch(c, event);
    }

    /** The node pools of a cluster row. */
    public static List<NodePool> pools(ClusterEntity c) {
        return CanonicalJson.mapper()
                .convertValue(
                        CanonicalJson.parse(c.nodePools),
                        CanonicalJson.mapper().getTypeFactory().constructCollectionType(List.class, NodePool.class));
    }

    private static void finish(String deploymentId, String status, String reason, String message, StoredEvent event) {
        DeploymentEntity d = DeploymentEntity.findById(deploymentId);
        d.status = status;
        d.reason = reason;
        d.message = message;
        d.updatedAt = event.occurredAt();
    }

    private static void write(ClusterEntity c, List<NodePool> pools) {
        c.nodePools = CanonicalJson.toJson(CanonicalJson.mapper().valueToTree(pools));
        if (!ClusterStatus.DELETED.value().equals(c.status)) {
            c.nodesPending =
                    pools.stream().mapToInt(p -> p.count() - p.joined()).sum();
            c.status = (c.nodesPending > 0 ? ClusterStatus.PROVISIONING : ClusterStatus.RUNNING).value();
        }
    }

    private static void touch(ClusterEntity c, StoredEvent event) {
        c.updatedAt = event.occurredAt();
        c.version = event.version();
    }
}
