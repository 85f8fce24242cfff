package io.cloudnexus.contracts.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** security.threat.detected: an attack was detected ({@code serverId} null when it aimed at no one server). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SecurityThreatDetected(
        @JsonProperty(required = true) String sourceIp,
        @JsonProperty(required = true) AttackType attackType,
        @JsonProperty(required = true) boolean mitigated,
        @JsonProperty(required = true) long packetsBlocked,
        @JsonInclude(JsonInclude.Include.NON_NULL) String serverId)
        implements EventData {

    public static final String TYPE = "security.threat.detected";

    public enum AttackType {
        SYN_FLOOD,
        UDP_FLOOD,
        HTTP_FLOOD,
        PORT_SCAN,
        BRUTE_FORCE
    }

    @Override
    public String type() {
        return TYPE;
    }
}
