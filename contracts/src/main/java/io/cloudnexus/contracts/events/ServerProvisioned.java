package io.cloudnexus.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** server.provisioned: a server finished initialization, is active and has its IP. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ServerProvisioned(
        @JsonProperty(required = true) String serverId,
        @JsonProperty(required = true) String region,
        @JsonProperty(required = true) Status status,
        @JsonProperty(required = true) String ip)
        implements EventData {

    public static final String TYPE = "server.provisioned";

    /** The schema's only value. */
    public enum Status {
        @JsonProperty("active")
        ACTIVE
    }

    public static ServerProvisioned active(String serverId, String region, String ip) {
        return new ServerProvisioned(serverId, region, Status.ACTIVE, ip);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
