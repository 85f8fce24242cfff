package io.cloudnexus.examples.consumer;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.contracts.events.EventData;
import io.cloudnexus.contracts.events.ServerCreated;
import io.cloudnexus.contracts.events.ServerProvisioned;
import io.cloudnexus.contracts.events.ServerScaled;
import io.cloudnexus.contracts.events.ServerTerminated;

/** What the example does with the events: the servers that exist, with their plan and IP. */
@ApplicationScoped
public class ServerInventory {

    /** One server as the events describe it. */
    public record Server(String id, String plan, String ip) {}

    private final Map<String, Server> servers = new ConcurrentHashMap<>();

    /** Applies one event about {@code serverId} (the record key and {@code ce_subject}). */
    public void apply(String serverId, EventData data) {
        if (data instanceof ServerCreated created) {
            servers.put(serverId, new Server(serverId, created.plan(), created.ip()));
        } else if (data instanceof ServerProvisioned provisioned) {
            servers.computeIfPresent(serverId, (id, s) -> new Server(id, s.plan(), provisioned.ip()));
        } else if (data instanceof ServerScaled scaled) {
            servers.computeIfPresent(serverId, (id, s) -> new Server(id, scaled.plan(), s.ip()));
        } else if (data instanceof ServerTerminated) {
            servers.remove(serverId);
        } // backups, firewalls and threats: not this consumer's concern
    }

    public Optional<Server> find(String serverId) {
        return Optional.ofNullable(servers.get(serverId));
    }

    public int size() {
        return servers.size();
    }
}
