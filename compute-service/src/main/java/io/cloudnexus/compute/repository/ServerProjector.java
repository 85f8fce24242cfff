package io.cloudnexus.compute.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.compute.domain.ServerStatus;
import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.events.BackupCompleted;
import io.cloudnexus.contracts.events.EventData;
import io.cloudnexus.contracts.events.FirewallUpdated;
import io.cloudnexus.contracts.events.SecurityThreatDetected;
import io.cloudnexus.contracts.events.ServerCreated;
import io.cloudnexus.contracts.events.ServerProvisioned;
import io.cloudnexus.contracts.events.ServerRenamed;
import io.cloudnexus.contracts.events.ServerScaled;
import io.cloudnexus.contracts.events.ServerTerminated;
import io.cloudnexus.eventstore.StoredEvent;
import io.cloudnexus.eventstore.projection.Projection;

/**
 * Applies compute events to the read models. The command path calls it in the appending transaction; the
 * rebuild replays the whole store through the very same method, so rebuilt rows equal live ones.
 */
@ApplicationScoped
public class ServerProjector implements Projection {

    @Override
    public List<String> tables() {
        return List.of("backup", "server");
    }

    @Override
    public void apply(StoredEvent event) {
        EventData data = event.payload();
        if (data instanceof ServerCreated created) {
            ServerEntity s = new ServerEntity();
            s.id = event.aggregateId();
            s.accountId = event.accountId();
            s.name = created.name();
            s.region = created.region();
            s.plan = created.plan();
            s.image = created.image();
            s.status = ServerStatus.PROVISIONING.value();
            s.createdAt = event.occurredAt();
            touch(s, event);
            s.persist();
            return;
        }
        ServerEntity s = ServerEntity.findById(event.aggregateId());
        if (s == null) {
            throw new IllegalStateException("No projection of " + event.aggregateId() + " for " + event.type());
        }
        if (data instanceof ServerProvisioned provisioned) {
            s.status = ServerStatus.ACTIVE.value();
            s.ip = provisioned.ip();
        } else if (data instanceof ServerScaled scaled) {
            s.plan = scaled.plan();
        } else if (data instanceof ServerRenamed renamed) {
            s.name = renamed.name();
        } else if (data instanceof ServerTerminated) {
            s.status = ServerStatus.TERMINATED.value();
        } else if (data instanceof FirewallUpdated firewall) {
            s.firewallId = firewall.firewallId();
            // from the record: a fixed key order whether the data came from a command or from jsonb
            s.firewallRules = CanonicalJson.toJson(firewall.rules());
        } else if (data instanceof SecurityThreatDetected) {
            s.threatsDetected++;
        } else if (data instanceof BackupCompleted backup) {
            BackupEntity b = new BackupEntity();
            b.id = backup.backupId();
            b.serverId = s.id;
            b.accountId = event.accountId();
            b.sizeGb = backup.sizeGb();
            b.durationSeconds = backup.durationSeconds();
            b.completedAt = event.occurredAt();
            b.persist();
        } else {
            throw new IllegalStateException("Not a compute event type: " + event.type());
        }
        touch(s, event);
    }

    private static void touch(ServerEntity s, StoredEvent event) {
        s.updatedAt = event.occurredAt();
        s.version = event.version();
    }
}
