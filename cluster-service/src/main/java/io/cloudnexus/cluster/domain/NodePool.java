package io.cloudnexus.cluster.domain;

import io.cloudnexus.contracts.events.ClusterCreated;

/**
 * A node pool of a cluster.
 *
 * @param name unique within the cluster
 * @param size one of {@link Offerings#SIZES}
 * @param count desired nodes
 * @param joined nodes that have joined so far (cluster.node.joined events of this pool)
 */
public record NodePool(String name, String size, int count, int joined) {

    /** A pool as cluster.created records it, with nothing joined yet. */
    public static NodePool created(ClusterCreated.NodePool pool) {
        return new NodePool(pool.name(), pool.size(), pool.count(), 0);
    }

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
