package io.cloudnexus.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** deployment.started: a deployment was submitted to a cluster. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeploymentStarted(
        @JsonProperty(required = true) String deploymentId,
        @JsonProperty(required = true) String clusterId,
        @JsonProperty(required = true) String image,
        @JsonProperty(required = true) int replicas)
        implements EventData {

    public static final String TYPE = "deployment.started";

    @Override
    public String type() {
        return TYPE;
    }
}
