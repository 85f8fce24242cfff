package io.cloudnexus.compute.domain;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudnexus.contracts.CanonicalJson;

/** The {@code data} objects of compute events, shaped as the catalog schemas in contracts define them. */
public final class ComputeEvents {

    public static final String AGGREGATE = "server";
    public static final String CREATED = "server.created";
    public static final String PROVISIONED = "server.provisioned";
    public static final String SCALED = "server.scaled";
    public static final String RENAMED = "server.renamed";
    public static final String TERMINATED = "server.terminated";
    public static final String BACKUP_COMPLETED = "backup.completed";
    public static final String FIREWALL_UPDATED = "firewall.updated";
    public static final String THREAT_DETECTED = "security.threat.detected";

    private ComputeEvents() {
    }

    static ObjectNode created(String id, String name, String region, String plan, String image) {
        ObjectNode d = node(id);
        d.put("name", name).put("region", region).put("plan", plan).put("image", image);
        d.put("status", ServerStatus.PROVISIONING.value()).putNull("ip");
        return d;
    }

    static ObjectNode provisioned(String id, String region, String ip) {
        ObjectNode d = node(id);
        return d.put("region", region).put("status", ServerStatus.ACTIVE.value()).put("ip", ip);
    }

    static ObjectNode scaled(String id, String previousPlan, String plan, String region) {
        return node(id).put("previous_plan", previousPlan).put("plan", plan).put("region", region);
    }

    static ObjectNode renamed(String id, String previousName, String name) {
        return node(id).put("previous_name", previousName).put("name", name);
    }

    static ObjectNode terminated(String id, String region) {
        return node(id).put("region", region).put("status", ServerStatus.TERMINATED.value());
    }

    static ObjectNode backupCompleted(String backupId, String id, int sizeGb, int durationSeconds) {
        ObjectNode d = CanonicalJson.mapper().createObjectNode();
        d.put("backup_id", backupId).put("server_id", id);
        return d.put("size_gb", sizeGb).put("duration_seconds", durationSeconds);
    }

    static ObjectNode firewallUpdated(String firewallId, String id, List<FirewallRule> rules) {
        ObjectNode d = CanonicalJson.mapper().createObjectNode();
        d.put("firewall_id", firewallId).put("server_id", id);
        d.set("rules", CanonicalJson.mapper().valueToTree(rules));
        return d.put("rules_count", rules.size());
    }

    static ObjectNode threatDetected(String id, Threat threat) {
        ObjectNode d = CanonicalJson.mapper().createObjectNode();
        d.put("source_ip", threat.sourceIp()).put("attack_type", threat.attackType());
        d.put("mitigated", threat.mitigated()).put("packets_blocked", threat.packetsBlocked());
        return d.put("server_id", id);
    }

    /** The firewall rules recorded in a firewall.updated data object. */
    public static List<FirewallRule> rules(JsonNode data) {
        return CanonicalJson.mapper().convertValue(data.get("rules"),
                CanonicalJson.mapper().getTypeFactory().constructCollectionType(List.class, FirewallRule.class));
    }

    private static ObjectNode node(String id) {
        return CanonicalJson.mapper().createObjectNode().put("server_id", id);
    }
}
