package io.cloudnexus.cluster.domain;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a cluster can be created with: regions, Kubernetes versions and node sizes (served by GET /clusters/k8s/options). */
public final class Offerings {

    /** A node size: its resources and how many pods one node of it runs (the capacity rule's unit). */
    public record NodeSize(
            String id,
            int vcpus,
            @JsonProperty("memory_gb") int memoryGb,
            @JsonProperty("pods_per_node") int podsPerNode) {}

    public static final List<String> REGIONS =
            List.of("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1");

    public static final List<String> VERSIONS = List.of("1.29", "1.30", "1.31");

    public static final List<NodeSize> SIZES = List.of(
            new NodeSize("s-2vcpu-4gb", 2, 4, 10),
            new NodeSize("s-4vcpu-8gb", 4, 8, 20),
            new NodeSize("s-8vcpu-16gb", 8, 16, 40));

    /** Node pools per cluster, nodes per pool, replicas per deployment: the API's limits. */
    public static final int MAX_POOLS = 10;

    public static final int MAX_NODES_PER_POOL = 50;
    public static final int MAX_REPLICAS = 1000;

    private Offerings() {}

    public static List<String> sizeIds() {
        return SIZES.stream().map(NodeSize::id).toList();
    }

    public static Optional<NodeSize> size(String id) {
        return SIZES.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** Pods one node of {@code sizeId} runs (0 for an unknown size). */
    public static int podsPerNode(String sizeId) {
        return size(sizeId).map(NodeSize::podsPerNode).orElse(0);
    }
}
