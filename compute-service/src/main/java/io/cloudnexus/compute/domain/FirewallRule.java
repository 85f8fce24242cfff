package io.cloudnexus.compute.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One firewall rule, as the API takes it and firewall.updated records it.
 *
 * @param direction inbound or outbound
 * @param protocol tcp, udp or icmp
 * @param portRange "22" or "8000-8080"; required for tcp and udp, absent for icmp
 * @param source a CIDR block such as 0.0.0.0/0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FirewallRule(String direction, String protocol, @JsonProperty("port_range") String portRange,
        String source) {
}
