package io.cloudnexus.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** cluster.deleted: a cluster was deleted. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClusterDeleted(
        @JsonProperty(required = true) String clusterId,
        @JsonProperty(required = true) String region) implements EventData {

    public static final String TYPE = "cluster.deleted";

    @Override
    public String type() {
        return TYPE;
    }
}
