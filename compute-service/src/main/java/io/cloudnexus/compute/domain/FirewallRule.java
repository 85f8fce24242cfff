package io.cloudnexus.compute.domain;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.contracts.events.FirewallUpdated;

/**
 * One firewall rule as the API takes and shows it (the same JSON shape as firewall.updated's
 * {@link FirewallUpdated.Rule}, with the values as text so that the API can explain a wrong one).
 *
 * @param direction inbound or outbound
 * @param protocol tcp, udp or icmp
 * @param portRange "22" or "8000-8080"; required for tcp and udp, absent for icmp
 * @param source a CIDR block such as 0.0.0.0/0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FirewallRule(
        String direction,
        String protocol,
        @JsonProperty("port_range") String portRange,
        String source) {

    /** The rule as firewall.updated records it (the API checked direction and protocol already). */
    public FirewallUpdated.Rule toEvent() {
        return new FirewallUpdated.Rule(
                FirewallUpdated.Direction.valueOf(direction.toUpperCase(Locale.ROOT)),
                FirewallUpdated.Protocol.valueOf(protocol.toUpperCase(Locale.ROOT)),
                portRange,
                source);
    }
}
