package io.cloudnexus.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** cluster.node.joined: a node of a pool joined the cluster ({@code nodeCount}: nodes joined so far). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClusterNodeJoined(
        @JsonProperty(required = true) String clusterId,
        @JsonProperty(required = true) String nodeId,
        @JsonProperty(required = true) String nodePool,
        @JsonProperty(required = true) String size,
        @JsonProperty(required = true) int nodeCount)
        implements EventData {

    public static final String TYPE = "cluster.node.joined";

    @Override
    public String type() {
        return TYPE;
    }
}
