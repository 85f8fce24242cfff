package io.cloudnexus.contracts.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** firewall.updated: the complete rule set of a server's firewall after an update. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FirewallUpdated(
        @JsonProperty(required = true) String firewallId,
        @JsonProperty(required = true) String serverId,
        @JsonProperty(required = true) List<Rule> rules,
        @JsonProperty(required = true) int rulesCount)
        implements EventData {

    public static final String TYPE = "firewall.updated";

    public FirewallUpdated {
        rules = rules == null ? null : List.copyOf(rules);
    }

    /** The event of a rule set (rules_count is its size). */
    public static FirewallUpdated of(String firewallId, String serverId, List<Rule> rules) {
        return new FirewallUpdated(firewallId, serverId, rules, rules.size());
    }

    /**
     * One rule.
     *
     * @param portRange "22" or "8000-8080"; required for tcp and udp, optional (null) for icmp
     * @param source a CIDR block such as 0.0.0.0/0
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Rule(
            @JsonProperty(required = true) Direction direction,
            @JsonProperty(required = true) Protocol protocol,
            @JsonInclude(JsonInclude.Include.NON_NULL) String portRange,
            @JsonProperty(required = true) String source) {}

    public enum Direction {
        @JsonProperty("inbound")
        INBOUND,
        @JsonProperty("outbound")
        OUTBOUND
    }

    public enum Protocol {
        @JsonProperty("tcp")
        TCP,
        @JsonProperty("udp")
        UDP,
        @JsonProperty("icmp")
        ICMP
    }

    @Override
    public String type() {
        return TYPE;
    }
}
