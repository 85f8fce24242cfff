package io.cloudnexus.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** backup.completed: a backup of a server finished. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupCompleted(
        @JsonProperty(required = true) String backupId,
        @JsonProperty(required = true) String serverId,
        @JsonProperty(required = true) int sizeGb,
        @JsonProperty(required = true) int durationSeconds)
        implements EventData {

    public static final String TYPE = "backup.completed";

    @Override
    public String type() {
        return TYPE;
    }
}
