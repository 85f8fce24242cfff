package io.cloudnexus.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** deployment.failed: a deployment could not run ({@code reason} is snake_case, e.g. {@code image_pull_failed}). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeploymentFailed(
        @JsonProperty(required = true) String deploymentId,
        @JsonProperty(required = true) String clusterId,
        @JsonProperty(required = true) String image,
        @JsonProperty(required = true) int replicas,
        @JsonProperty(required = true) String reason,
        @JsonProperty(required = true) String message)
        implements EventData {

    public static final String TYPE = "deployment.failed";

    @Override
    public String type() {
        return TYPE;
    }
}
