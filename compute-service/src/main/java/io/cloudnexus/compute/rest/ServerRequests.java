package io.cloudnexus.compute.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.compute.domain.FirewallRule;

/** Request bodies of the server API (fields are checked by {@link ServerChecks} and service-common's FieldChecks, naming the bad field). */
public final class ServerRequests {

    private ServerRequests() {}

    /** POST /servers: {@code count} 1-10 (default 1); {@code name} optional (count > 1 appends -1, -2...). */
    public record Create(String region, String plan, String image, Integer count, String name) {}

    /** PUT /servers/{id}: a new name and/or plan (a plan change records server.scaled). */
    public record Update(String name, String plan) {}

    /** PUT /servers/{id}/firewall: the complete rule set. */
    public record Firewall(List<FirewallRule> rules) {}

    /** POST /servers/{id}/threats: an optional attack type (random if absent). */
    public record ThreatTrigger(@JsonProperty("attack_type") String attackType) {}
}
