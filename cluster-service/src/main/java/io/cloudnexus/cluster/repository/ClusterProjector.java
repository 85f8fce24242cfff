package io.cloudnexus.cluster.repository;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.cluster.domain.ClusterEvents;
import io.cloudnexus.cluster.domain.ClusterStatus;
import io.cloudnexus.cluster.domain.NodePool;
import io.cloudnexus.contracts.CanonicalJson;
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
        JsonNode data = event.data();
        if (ClusterEvents.CREATED.equals(event.type())) {
            ClusterEntity c = new ClusterEntity();
            c.id = event.aggregateId();
            c.accountId = event.accountId();
            c.name = data.path("name").asText();
            c.region = data.path("region").asText();
            c.kubernetesVersion = data.path("version").asText();
            c.status = ClusterStatus.PROVISIONING.value();
            List<NodePool> pools = new ArrayList<>();
            data.path("node_pools").forEach(p -> pools.add(new NodePool(p.path("name").asText(),
                    p.path("size").asText(), p.path("count").asInt(), 0)));
            write(c, pools);
            c.createdAt = event.occurredAt();
            touch(c, event);
            c.persist();
            return;
        }
        ClusterEntity c = ClusterEntity.findById(event.aggregateId());
        if (c == null) {
            throw new IllegalStateException("No projection of " + event.aggregateId() + " for " + event.type());
        }
        switch (event.type()) {
            case ClusterEvents.NODE_JOINED -> {
                String name = data.path("node_pool").asText();
                write(c, pools(c).stream().map(p -> p.name().equals(name) ? p.withJoined(p.joined() + 1) : p).toList());
                c.nodeCount = data.path("node_count").asInt();
            }
            case ClusterEvents.SCALED -> {
                String name = data.path("node_pool").asText();
                int count = data.path("count").asInt();
                write(c, pools(c).stream().map(p -> p.name().equals(name) ? p.withCount(count) : p).toList());
            }
            case ClusterEvents.DELETED -> {
                c.status = ClusterStatus.DELETED.value();
                c.nodesPending = 0;
            }
            case ClusterEvents.DEPLOYMENT_STARTED -> {
                DeploymentEntity d = new DeploymentEntity();
                d.id = data.path("deployment_id").asText();
                d.clusterId = c.id;
                d.accountId = event.accountId();
                d.image = data.path("image").asText();
                d.replicas = data.path("replicas").asInt();
                d.status = "pending";
                d.createdAt = event.occurredAt();
                d.updatedAt = event.occurredAt();
                d.persist();
            }
            case ClusterEvents.DEPLOYMENT_SUCCEEDED, ClusterEvents.DEPLOYMENT_FAILED -> {
                DeploymentEntity d = DeploymentEntity.findById(data.path("deployment_id").asText());
                boolean failed = ClusterEvents.DEPLOYMENT_FAILED.equals(event.type());
                d.status = failed ? "failed" : "succeeded";
                d.reason = failed ? data.path("reason").asText() : null;
                d.message = failed ? data.path("message").asText() : null;
                d.updatedAt = event.occurredAt();
            }
            default -> throw new IllegalStateException("Unknown cluster event type " + event.type());
        }
        touch(c, event);
    }

    /** The node pools of a cluster row. */
    public static List<NodePool> pools(ClusterEntity c) {
        return CanonicalJson.mapper().convertValue(CanonicalJson.parse(c.nodePools),
                CanonicalJson.mapper().getTypeFactory().constructCollectionType(List.class, NodePool.class));
    }

    private static void write(ClusterEntity c, List<NodePool> pools) {
        c.nodePools = CanonicalJson.toJson(CanonicalJson.mapper().valueToTree(pools));
        if (!ClusterStatus.DELETED.value().equals(c.status)) {
            c.nodesPending = pools.stream().mapToInt(p -> p.count() - p.joined()).sum();
            c.status = (c.nodesPending > 0 ? ClusterStatus.PROVISIONING : ClusterStatus.RUNNING).value();
        }
    }

    private static void touch(ClusterEntity c, StoredEvent event) {
        c.updatedAt = event.occurredAt();
        c.version = event.version();
    }
}
