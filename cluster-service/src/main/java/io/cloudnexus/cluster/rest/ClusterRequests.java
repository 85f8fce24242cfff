package io.cloudnexus.cluster.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Request bodies of the cluster API (fields are checked by {@link ClusterChecks}, naming the bad field). */
public final class ClusterRequests {

    private ClusterRequests() {}

    /** One node pool of POST /clusters/k8s. */
    public record Pool(String name, String size, Integer count) {}

    /** POST /clusters/k8s. */
    public record Create(
            String name,
            String region,
            String version,
            @JsonProperty("node_pools") List<Pool> nodePools) {}

    /** PUT /clusters/k8s/{id}/node_pools/{pool}: the pool's new node count (pools only grow). */
    public record ScalePool(Integer count) {}

    /** POST /clusters/k8s/{id}/deployments. */
    public record Deploy(String image, Integer replicas) {}
}
