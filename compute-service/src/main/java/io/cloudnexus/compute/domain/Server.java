package io.cloudnexus.compute.domain;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.eventstore.NewEvent;
import io.cloudnexus.eventstore.StoredEvent;

/**
 * The server aggregate: its state is the fold of its events; its methods decide which new events a command
 * records (or refuse it). Backups, firewall changes and threats belong to the server's event stream, so
 * they are ordered with its lifecycle (one Kafka key per server).
 */
public final class Server {

    private final String id;
    private final String accountId;
    private String name;
    private String region;
    private String plan;
    private ServerStatus status;
    private String firewallId;
    private int version;

    private Server(String id, String accountId) {
        this.id = id;
        this.accountId = accountId;
    }

    /** Rebuilds a server from its events (oldest first); null if there are none. */
    public static Server replay(List<StoredEvent> events) {
        if (events.isEmpty()) {
            return null;
        }
        Server server = new Server(events.get(0).aggregateId(), events.get(0).accountId());
        events.forEach(e -> server.apply(e.type(), e.data(), e.version()));
        return server;
    }

    /** The server.created event of a new server. */
    public static NewEvent create(String id, String name, String region, String plan, String image) {
        return NewEvent.of(ComputeEvents.CREATED, ComputeEvents.created(id, name, region, plan, image));
    }

    private void apply(String type, JsonNode data, int eventVersion) {
        switch (type) {
            case ComputeEvents.CREATED -> {
                name = data.path("name").asText();
                region = data.path("region").asText();
                plan = data.path("plan").asText();
                status = ServerStatus.PROVISIONING;
            }
            case ComputeEvents.PROVISIONED -> status = ServerStatus.ACTIVE;
            case ComputeEvents.SCALED -> plan = data.path("plan").asText();
            case ComputeEvents.RENAMED -> name = data.path("name").asText();
            case ComputeEvents.TERMINATED -> status = ServerStatus.TERMINATED;
            case ComputeEvents.FIREWALL_UPDATED -> firewallId = data.path("firewall_id").asText();
            default -> {
                // backups and threats do not change the server's own state
            }
        }
        version = eventVersion;
    }

    /** server.provisioned with {@code ip}, or nothing if the server is no longer provisioning. */
    public List<NewEvent> provision(String ip) {
        if (status != ServerStatus.PROVISIONING) {
            return List.of();
        }
        return List.of(NewEvent.of(ComputeEvents.PROVISIONED, ComputeEvents.provisioned(id, region, ip)));
    }

    /** server.renamed and/or server.scaled for what actually changes. */
    public List<NewEvent> update(String newName, String newPlan) {
        requireNotTerminated();
        List<NewEvent> events = new java.util.ArrayList<>(2);
        if (newName != null && !newName.equals(name)) {
            events.add(NewEvent.of(ComputeEvents.RENAMED, ComputeEvents.renamed(id, name, newName)));
        }
        if (newPlan != null && !newPlan.equals(plan)) {
            events.add(NewEvent.of(ComputeEvents.SCALED, ComputeEvents.scaled(id, plan, newPlan, region)));
        }
        return events;
    }

    public List<NewEvent> terminate() {
        requireNotTerminated();
        return List.of(NewEvent.of(ComputeEvents.TERMINATED, ComputeEvents.terminated(id, region)));
    }

    /** Checks that a backup may be taken now (the server must be active). */
    public void requireActive(String action) {
        requireNotTerminated();
        if (status != ServerStatus.ACTIVE) {
            throw ProblemException.conflict("Server '" + id + "' is " + status.value() + "; " + action
                    + " needs an active server.");
        }
    }

    /** backup.completed for a backup that ran {@code durationSeconds}; nothing if the server is gone meanwhile. */
    public List<NewEvent> completeBackup(String backupId, int sizeGb, int durationSeconds) {
        if (status == ServerStatus.TERMINATED) {
            return List.of();
        }
        return List.of(NewEvent.of(ComputeEvents.BACKUP_COMPLETED,
                ComputeEvents.backupCompleted(backupId, id, sizeGb, durationSeconds)));
    }

    public List<NewEvent> updateFirewall(List<FirewallRule> rules) {
        requireNotTerminated();
        String fw = firewallId != null ? firewallId : ResourceIds.newId(ResourceIds.FIREWALL);
        return List.of(NewEvent.of(ComputeEvents.FIREWALL_UPDATED, ComputeEvents.firewallUpdated(fw, id, rules)));
    }

    public List<NewEvent> detectThreat(Threat threat) {
        requireActive("threat detection");
        return List.of(NewEvent.of(ComputeEvents.THREAT_DETECTED, ComputeEvents.threatDetected(id, threat)));
    }

    private void requireNotTerminated() {
        if (status == ServerStatus.TERMINATED) {
            throw ProblemException.conflict("Server '" + id + "' is terminated; it cannot be changed.");
        }
    }

    public String id() {
        return id;
    }

    public String accountId() {
        return accountId;
    }

    public String plan() {
        return plan;
    }

    public ServerStatus status() {
        return status;
    }

    public int version() {
        return version;
    }

    public boolean belongsTo(String account) {
        return Objects.equals(accountId, account);
    }
}
