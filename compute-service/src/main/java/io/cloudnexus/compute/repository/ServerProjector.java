package io.cloudnexus.compute.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.compute.domain.ComputeEvents;
import io.cloudnexus.compute.domain.ServerStatus;
import io.cloudnexus.contracts.CanonicalJson;
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
        JsonNode data = event.data();
        if (ComputeEvents.CREATED.equals(event.type())) {
            ServerEntity s = new ServerEntity();
            s.id = event.aggregateId();
            s.accountId = event.accountId();
            s.name = data.path("name").asText();
            s.region = data.path("region").asText();
            s.plan = data.path("plan").asText();
            s.image = data.path("image").asText();
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
        switch (event.type()) {
            case ComputeEvents.PROVISIONED -> {
                s.status = ServerStatus.ACTIVE.value();
                s.ip = data.path("ip").asText();
            }
            case ComputeEvents.SCALED -> s.plan = data.path("plan").asText();
            case ComputeEvents.RENAMED -> s.name = data.path("name").asText();
            case ComputeEvents.TERMINATED -> s.status = ServerStatus.TERMINATED.value();
            case ComputeEvents.FIREWALL_UPDATED -> {
                s.firewallId = data.path("firewall_id").asText();
                // through the record: a fixed key order whether the data came from a command or from jsonb
                s.firewallRules = CanonicalJson.toJson(ComputeEvents.rules(data));
            }
            case ComputeEvents.THREAT_DETECTED -> s.threatsDetected++;
            case ComputeEvents.BACKUP_COMPLETED -> {
                BackupEntity b = new BackupEntity();
                b.id = data.path("backup_id").asText();
                b.serverId = s.id;
                b.accountId = event.accountId();
                b.sizeGb = data.path("size_gb").asInt();
                b.durationSeconds = data.path("duration_seconds").asInt();
                b.completedAt = event.occurredAt();
                b.persist();
            }
            default -> throw new IllegalStateException("Unknown compute event type " + event.type());
        }
        touch(s, event);
    }

    private static void touch(ServerEntity s, StoredEvent event) {
        s.updatedAt = event.occurredAt();
        s.version = event.version();
    }
}
