package io.cloudnexus.cluster.domain;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudnexus.contracts.CanonicalJson;

/** The {@code data} objects of cluster events, shaped as the catalog schemas in contracts define them. */
public final class ClusterEvents {

    public static final String AGGREGATE = "cluster";
    public static final String CREATED = "cluster.created";
    public static final String NODE_JOINED = "cluster.node.joined";
    public static final String SCALED = "cluster.scaled";
    public static final String DELETED = "cluster.deleted";
    public static final String DEPLOYMENT_STARTED = "deployment.started";
    public static final String DEPLOYMENT_SUCCEEDED = "deployment.succeeded";
    public static final String DEPLOYMENT_FAILED = "deployment.failed";

    private ClusterEvents() {
    }

    static ObjectNode created(String id, String name, String region, String version, List<NodePool> pools) {
        ObjectNode d = node(id).put("name", name).put("region", region).put("version", version);
        ArrayNode array = d.putArray("node_pools");
        pools.forEach(p -> array.addObject().put("name", p.name()).put("size", p.size()).put("count", p.count()));
        return d;
    }

    static ObjectNode nodeJoined(String id, String nodeId, NodePool pool, int nodeCount) {
        return node(id).put("node_id", nodeId).put("node_pool", pool.name()).put("size", pool.size())
                .put("node_count", nodeCount);
    }

    static ObjectNode scaled(String id, NodePool pool, int count) {
        return node(id).put("node_pool", pool.name()).put("size", pool.size()).put("previous_count", pool.count())
                .put("count", count);
    }

    static ObjectNode deleted(String id, String region) {
        return node(id).put("region", region);
    }

    static ObjectNode deployment(String id, Deployment d) {
        ObjectNode data = CanonicalJson.mapper().createObjectNode().put("deployment_id", d.id()).put("cluster_id", id);
        return data.put("image", d.image()).put("replicas", d.replicas());
    }

    static ObjectNode deploymentFailed(String id, Deployment d, DeploymentRules.Failure failure) {
        return deployment(id, d).put("reason", failure.reason()).put("message", failure.message());
    }

    private static ObjectNode node(String id) {
        return CanonicalJson.mapper().createObjectNode().put("cluster_id", id);
    }
}
