package io.cloudnexus.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** server.scaled: a server moved to another plan. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ServerScaled(
        @JsonProperty(required = true) String serverId,
        @JsonProperty(required = true) String previousPlan,
        @JsonProperty(required = true) String plan,
        @JsonProperty(required = true) String region)
        implements EventData {

    public static final String TYPE = "server.scaled";

    @Override
    public String type() {
        return TYPE;
    }
}
