package io.cloudnexus.cluster.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.cluster.repository.DeploymentEntity;

/** A deployment: pending, then succeeded or failed (with a snake_case reason and a message). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentView(
        String id,
        @JsonProperty("cluster_id") String clusterId,
        String image,
        int replicas,
        String status,
        String reason,
        String message,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {

    static DeploymentView of(DeploymentEntity d) {
        return new DeploymentView(
                d.id,
                d.clusterId,
                d.image,
                d.replicas,
                d.status,
                d.reason,
                d.message,
                ClusterView.time(d.createdAt),
                ClusterView.time(d.updatedAt));
    }
}
