package io.cloudnexus.cluster.domain;

import java.util.Optional;

/**
 * The simulated outcome of a deployment, decided deterministically so tests and demos can produce both:
 * <ol>
 * <li>{@code image_pull_failed} if the image cannot be "pulled": its reference contains {@code :broken} or its
 * tag is {@code nonexistent} (e.g. {@code nginx:nonexistent});</li>
 * <li>otherwise {@code insufficient_capacity} if {@code replicas} exceed the cluster's capacity: the sum over its
 * node pools of desired node count x pods per node of the pool's size;</li>
 * <li>otherwise it succeeds.</li>
 * </ol>
 */
public final class DeploymentRules {

    public static final String IMAGE_PULL_FAILED = "image_pull_failed";
    public static final String INSUFFICIENT_CAPACITY = "insufficient_capacity";
    public static final String CLUSTER_DELETED = "cluster_deleted";

    /** Why a deployment fails. */
    public record Failure(String reason, String message) {}

    private DeploymentRules() {}

    /** The failure of deploying {@code replicas} of {@code image} on a cluster of {@code capacity} pods, if any. */
    public static Optional<Failure> outcome(String image, int replicas, int capacity) {
        if (image.contains(":broken") || "nonexistent".equals(tag(image))) {
            return Optional.of(new Failure(IMAGE_PULL_FAILED, "Failed to pull image " + image + ": manifest unknown"));
        }
        if (replicas > capacity) {
            return Optional.of(new Failure(
                    INSUFFICIENT_CAPACITY,
                    "0/" + capacity + " pods available: " + replicas
                            + " replicas requested, the cluster's node pools run at most " + capacity + " pods"));
        }
        return Optional.empty();
    }

    /** The tag of an image reference ({@code latest} if none; a digest reference has none). */
    static String tag(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (image.contains("@")) {
            return null;
        }
        return colon > slash ? image.substring(colon + 1) : "latest";
    }
}
