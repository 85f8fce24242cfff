package io.cloudnexus.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** server.terminated: a server was terminated (billing stops). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ServerTerminated(
        @JsonProperty(required = true) String serverId,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) Status status)
        implements EventData {

    public static final String TYPE = "server.terminated";

    /** The schema's only value. */
    public enum Status {
        @JsonProperty("terminated")
        TERMINATED
    }

    public static ServerTerminated of(String serverId, String region) {
        return new ServerTerminated(serverId, region, Status.TERMINATED);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
