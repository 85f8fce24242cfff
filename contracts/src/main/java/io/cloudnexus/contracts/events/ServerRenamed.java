package io.cloudnexus.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** server.renamed: a server got a new name. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ServerRenamed(
        @JsonProperty(required = true) String serverId,
        @JsonProperty(required = true) String previousName,
        @JsonProperty(required = true) String name)
        implements EventData {

    public static final String TYPE = "server.renamed";

    @Override
    public String type() {
        return TYPE;
    }
}
