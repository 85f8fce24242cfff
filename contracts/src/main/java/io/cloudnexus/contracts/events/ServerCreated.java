package io.cloudnexus.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * server.created: a server was created and starts provisioning ({@code ip} null until server.provisioned).
 * {@code name}, {@code plan} and {@code image} are optional in the schema (null: absent).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ServerCreated(
        @JsonProperty(required = true) String serverId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String name,
        @JsonProperty(required = true) String region,
        @JsonInclude(JsonInclude.Include.NON_NULL) String plan,
        @JsonInclude(JsonInclude.Include.NON_NULL) String image,
        @JsonProperty(required = true) Status status,
        @JsonProperty(required = true) String ip)
        implements EventData {

    public static final String TYPE = "server.created";

    /** provisioning is what CloudNexus records; running is accepted for the public docs' sample. */
    public enum Status {
        @JsonProperty("provisioning")
        PROVISIONING,
        @JsonProperty("running")
        RUNNING
    }

    /** What the platform records at creation: status provisioning, no IP yet. */
    public static ServerCreated provisioning(String serverId, String name, String region, String plan, String image) {
        return new ServerCreated(serverId, name, region, plan, image, Status.PROVISIONING, null);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
