package io.cloudnexus.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** cluster.scaled: a node pool was given another node count. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClusterScaled(
        @JsonProperty(required = true) String clusterId,
        @JsonProperty(required = true) String nodePool,
        @JsonProperty(required = true) String size,
        @JsonProperty(required = true) int previousCount,
        @JsonProperty(required = true) int count)
        implements EventData {

    public static final String TYPE = "cluster.scaled";

    @Override
    public String type() {
        return TYPE;
    }
}
