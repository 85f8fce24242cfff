package io.cloudnexus.compute.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.compute.domain.ComputeEvents;
import io.cloudnexus.compute.domain.FirewallRule;
import io.cloudnexus.compute.repository.ServerEntity;
import io.cloudnexus.contracts.CanonicalJson;

/** A server's firewall: its id ({@code fw_...}, null before the first update) and the complete rule set. */
public record FirewallView(String id, @JsonProperty("server_id") String serverId, List<FirewallRule> rules,
        @JsonProperty("rules_count") int rulesCount, @JsonProperty("updated_at") String updatedAt) {

    static FirewallView of(ServerEntity s) {
        List<FirewallRule> rules = s.firewallRules == null ? List.of()
                : ComputeEvents.rules(CanonicalJson.mapper().createObjectNode()
                        .set("rules", CanonicalJson.parse(s.firewallRules)));
        return new FirewallView(s.firewallId, s.id, rules, rules.size(), ServerView.time(s.updatedAt));
    }
}
