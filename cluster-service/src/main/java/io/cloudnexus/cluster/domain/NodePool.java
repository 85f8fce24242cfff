package io.cloudnexus.cluster.domain;

/**
 * A node pool of a cluster.
 *
 * @param name unique within the cluster
 * @param size one of {@link Offerings#SIZES}
 * @param count desired nodes
 * @param joined nodes that have joined so far (cluster.node.joined events of this pool)
 */
public record NodePool(String name, String size, int count, int joined) {

    public NodePool withCount(int newCount) {
        return new NodePool(name, size, newCount, joined);
    }

    public NodePool withJoined(int newJoined) {
        return new NodePool(name, size, count, newJoined);
    }

    /** Pods this pool runs at its desired size. */
    public int capacity() {
        return count * Offerings.podsPerNode(size);
    }
}
