package io.cloudnexus.cluster.rest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.cluster.domain.NodePool;
import io.cloudnexus.cluster.repository.ClusterEntity;
import io.cloudnexus.cluster.repository.ClusterProjector;

/**
 * A cluster as the API shows it (snake_case; timestamps UTC, second precision). {@code version} is the
 * Kubernetes version; {@code revision} counts the cluster's events (its aggregate version).
 */
public record ClusterView(
        String id,
        String name,
        String region,
        String version,
        String status,
        @JsonProperty("node_pools") List<NodePool> nodePools,
        @JsonProperty("node_count") int nodeCount,
        @JsonProperty("capacity_pods") int capacityPods,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        int revision) {

    public static ClusterView of(ClusterEntity c) {
        List<NodePool> pools = ClusterProjector.pools(c);
        return new ClusterView(
                c.id,
                c.name,
                c.region,
                c.kubernetesVersion,
                c.status,
                pools,
                c.nodeCount,
                pools.stream().mapToInt(NodePool::capacity).sum(),
                time(c.createdAt),
                time(c.updatedAt),
                c.version);
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
