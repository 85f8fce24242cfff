package io.cloudnexus.compute.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.events.BackupCompleted;
import io.cloudnexus.contracts.events.EventData;
import io.cloudnexus.contracts.events.FirewallUpdated;
import io.cloudnexus.contracts.events.SecurityThreatDetected;
import io.cloudnexus.contracts.events.ServerCreated;
import io.cloudnexus.contracts.events.ServerProvisioned;
import io.cloudnexus.contracts.events.ServerRenamed;
import io.cloudnexus.contracts.events.ServerScaled;
import io.cloudnexus.contracts.events.ServerTerminated;
import io.cloudnexus.eventstore.NewEvent;
import io.cloudnexus.eventstore.StoredEvent;

/**
 * The server aggregate: its state is the fold of its events; its methods decide which new events a command
 * records (or refuse it). Backups, firewall changes and threats belong to the server's event stream, so
 * they are ordered with its lifecycle (one Kafka key per server).
 */
public final class Server {

    /** The aggregate type of servers in the event store. */
    public static final String AGGREGATE = "server";

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
        events.forEach(e -> server.apply(e.payload(), e.version()));
        return server;
    }

    /** The server.created event of a new server. */
    public static NewEvent create(String id, String name, String region, String plan, String image) {
        return NewEvent.of(ServerCreated.provisioning(id, name, region, plan, image));
    }

    private void apply(EventData data, int eventVersion) {
        if (data instanceof ServerCreated created) {
            name = created.name();
            region = created.region();
            plan = created.plan();
            status = ServerStatus.PROVISIONING;
        } else if (data instanceof ServerProvisioned) {
            status = ServerStatus.ACTIVE;
        } else if (data instanceof ServerScaled scaled) {
            plan = scaled.plan();
        } else if (data instanceof ServerRenamed renamed) {
            name = renamed.name();
        } else if (data instanceof ServerTerminated) {
            status = ServerStatus.TERMINATED;
        } else if (data instanceof FirewallUpdated firewall) {
            firewallId = firewall.firewallId();
        } // backups and threats do not change the server's own state
        version = eventVersion;
    }

    /** server.provisioned with {@code ip}, or nothing if the server is no longer provisioning. */
    public List<NewEvent> provision(String ip) {
        if (status != ServerStatus.PROVISIONING) {
            return List.of();
        }
        return List.of(NewEvent.of(ServerProvisioned.active(id, region, ip)));
    }

    /** server.renamed and/or server.scaled for what actually changes. */
    public List<NewEvent> update(String newName, String newPlan) {
        requireNotTerminated();
        List<NewEvent> events = new ArrayList<>(2);
        if (newName != null && !newName.equals(name)) {
            events.add(NewEvent.of(new ServerRenamed(id, name, newName)));
        }
        if (newPlan != null && !newPlan.equals(plan)) {
            events.add(NewEvent.of(new ServerScaled(id, plan, newPlan, region)));
        }
        return events;
    }

    public List<NewEvent> terminate() {
        requireNotTerminated();
        return List.of(NewEvent.of(ServerTerminated.of(id, region)));
    }

    /** Checks that a backup may be taken now (the server must be active). */
    public void requireActive(String action) {
        requireNotTerminated();
        if (status != ServerStatus.ACTIVE) {
            throw ProblemException.conflict(
                    "Server '" + id + "' is " + status.value() + "; " + action + " needs an active server.");
        }
    }

    /** backup.completed for a backup that ran {@code durationSeconds}; nothing if the server is gone meanwhile. */
    public List<NewEvent> completeBackup(String backupId, int sizeGb, int durationSeconds) {
        if (status == ServerStatus.TERMINATED) {
            return List.of();
        }
        return List.of(NewEvent.of(new BackupCompleted(backupId, id, sizeGb, durationSeconds)));
    }

    public List<NewEvent> updateFirewall(List<FirewallRule> rules) {
        requireNotTerminated();
        String fw = firewallId != null ? firewallId : ResourceIds.newId(ResourceIds.FIREWALL);
        return List.of(NewEvent.of(FirewallUpdated.of(
                fw, id, rules.stream().map(FirewallRule::toEvent).toList())));
    }

    public List<NewEvent> detectThreat(Threat threat) {
        requireActive("threat detection");
        return List.of(NewEvent.of(new SecurityThreatDetected(
                threat.sourceIp(),
                SecurityThreatDetected.AttackType.valueOf(threat.attackType()),
                threat.mitigated(),
                threat.packetsBlocked(),
                id)));
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
