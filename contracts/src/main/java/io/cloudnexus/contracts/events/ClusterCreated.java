package io.cloudnexus.contracts.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** cluster.created: a Kubernetes cluster was created with its node pools; the nodes join afterwards. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClusterCreated(
        @JsonProperty(required = true) String clusterId,
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) String version,
        @JsonProperty(required = true) List<NodePool> nodePools)
        implements EventData {

    public static final String TYPE = "cluster.created";

    public ClusterCreated {
        nodePools = nodePools == null ? null : List.copyOf(nodePools);
    }

    /**
     * A node pool as created.
     *
     * @param size node size (plan slug)
     * @param count desired nodes
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record NodePool(
            @JsonProperty(required = true) String name,
            @JsonProperty(required = true) String size,
            @JsonProperty(required = true) int count) {}

    @Override
    public String type() {
        return TYPE;
    }
}
