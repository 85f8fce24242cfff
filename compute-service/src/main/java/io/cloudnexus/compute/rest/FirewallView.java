package io.cloudnexus.compute.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;

import io.cloudnexus.compute.domain.FirewallRule;
import io.cloudnexus.compute.repository.ServerEntity;
import io.cloudnexus.contracts.CanonicalJson;

/** A server's firewall: its id ({@code fw_...}, null before the first update) and the complete rule set. */
public record FirewallView(
        String id,
        @JsonProperty("server_id") String serverId,
        List<FirewallRule> rules,
        @JsonProperty("rules_count") int rulesCount,
        @JsonProperty("updated_at") String updatedAt) {

    private static final JavaType RULES =
            CanonicalJson.mapper().getTypeFactory().constructCollectionType(List.class, FirewallRule.class);

    static FirewallView of(ServerEntity s) {
        List<FirewallRule> rules = s.firewallRules == null
                ? List.of()
                : CanonicalJson.mapper().convertValue(CanonicalJson.parse(s.firewallRules), RULES);
        return new FirewallView(s.firewallId, s.id, rules, rules.size(), ServerView.time(s.updatedAt));
    }
}
