package io.cloudnexus.cluster.domain;

/**
 * A deployment on a cluster, as the cluster aggregate knows it.
 *
 * @param id {@code dep_...}
 * @param image container image reference
 * @param replicas desired replicas
 * @param pending true until deployment.succeeded or deployment.failed is recorded
 */
public record Deployment(String id, String image, int replicas, boolean pending) {}
