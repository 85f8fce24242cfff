package io.cloudnexus.compute.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.compute.config.ComputeConfig;
import io.cloudnexus.compute.domain.FirewallRule;
import io.cloudnexus.compute.domain.Offerings;
import io.cloudnexus.compute.domain.Server;
import io.cloudnexus.compute.domain.Threat;
import io.cloudnexus.compute.repository.BackupRequestEntity;
import io.cloudnexus.compute.repository.ServerEntity;
import io.cloudnexus.compute.repository.ServerProjector;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.eventstore.EventStore;
import io.cloudnexus.eventstore.NewEvent;
import io.cloudnexus.eventstore.StoredEvent;

/**
 * Every change to servers: load the aggregate from its events, decide, append the new events and update the
 * read model in ONE transaction. A concurrent change of the same server surfaces as
 * {@link io.cloudnexus.eventstore.ConcurrencyConflict} (409 for API callers, a retry for the workers).
 */
@ApplicationScoped
public class ServerCommands {

    private final EventStore store;
    private final ServerProjector projector;
    private final ComputeConfig config;

    public ServerCommands(EventStore store, ServerProjector projector, ComputeConfig config) {
        this.store = store;
        this.projector = projector;
        this.config = config;
    }

    /** Creates {@code count} servers, each recording server.created; all or none. */
    @Transactional
    public List<ServerEntity> create(
            String accountId, String name, String region, String plan, String image, int count) {
        List<ServerEntity> created = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String id = ResourceIds.newId(ResourceIds.SERVER);
            String serverName =
                    name == null ? "server-" + id.substring(id.length() - 6) : count == 1 ? name : name + "-" + i;
            append(accountId, id, 0, List.of(Server.create(id, serverName, region, plan, image)));
            created.add(ServerEntity.findById(id));
        }
        return created;
    }

    /** Renames and/or changes the plan (server.renamed, server.scaled); no change records nothing. */
    @Transactional
    public ServerEntity update(String accountId, String id, String name, String plan) {
        Server server = load(accountId, id);
        append(accountId, id, server.version(), server.update(name, plan));
        return ServerEntity.findById(id);
    }

    @Transactional
    public ServerEntity terminate(String accountId, String id) {
        Server server = load(accountId, id);
        append(accountId, id, server.version(), server.terminate());
        return ServerEntity.findById(id);
    }

    /**
     * The provisioner's step: records server.provisioned with a simulated IP for each of {@code ids} still
     * provisioning, in ONE transaction (one durable commit for a whole round instead of one per server).
     *
     * @return how many servers became active
     */
    @Transactional
    public int provision(List<String> ids) {
        int provisioned = 0;
        for (String id : ids) {
            Server server = Server.replay(store.load(id));
            if (server != null
                    && !append(server.accountId(), id, server.version(), server.provision(simulatedIp()))
                            .isEmpty()) {
                provisioned++;
            }
        }
        return provisioned;
    }

    /** Starts a simulated backup; backup.completed is recorded when it is due. */
    @Transactional
    public BackupRequestEntity requestBackup(String accountId, String id) {
        Server server = load(accountId, id);
        server.requireActive("a backup");
        BackupRequestEntity request = new BackupRequestEntity();
        request.id = ResourceIds.newId(ResourceIds.BACKUP);
        request.serverId = id;
        request.accountId = accountId;
        request.requestedAt = Instant.now();
        request.dueAt = request.requestedAt.plus(config.backups().duration());
        request.persist();
        return request;
    }

    /** The backup worker's step: records backup.completed and removes the request (false if already done). */
    @Transactional
    public boolean completeBackup(String requestId) {
        BackupRequestEntity request = BackupRequestEntity.findById(requestId);
        if (request == null || BackupRequestEntity.delete("id", requestId) == 0) {
            return false;
        }
        Server server = Server.replay(store.load(request.serverId));
        int diskGb = Offerings.plan(server.plan()).map(Offerings.Plan::diskGb).orElse(50);
        int sizeGb = 1 + ThreadLocalRandom.current().nextInt(Math.max(1, diskGb / 4));
        long seconds =
                Math.max(1, Duration.between(request.requestedAt, Instant.now()).toSeconds());
        append(server.accountId(), server.id(), server.version(), server.completeBackup(request.id, sizeGb, (int)
                seconds));
        return true;
    }

    @Transactional
    public ServerEntity updateFirewall(String accountId, String id, List<FirewallRule> rules) {
        Server server = load(accountId, id);
        append(accountId, id, server.version(), server.updateFirewall(rules));
        return ServerEntity.findById(id);
    }

    /** Records security.threat.detected for an active server (the simulator's and the trigger call's step). */
    @Transactional
    public StoredEvent detectThreat(String accountId, String id, Threat threat) {
        Server server = accountId == null ? Server.replay(store.load(id)) : load(accountId, id);
        if (server == null) {
            throw ProblemException.notFound("Server", id);
        }
        return append(server.accountId(), id, server.version(), server.detectThreat(threat))
                .get(0);
    }

    /** The caller's server, rebuilt from its events; another account's or an unknown id is a 404. */
    private Server load(String accountId, String id) {
        if (!ResourceIds.isValid(ResourceIds.SERVER, id)) {
            throw ProblemException.notFound("Server", id);
        }
        Server server = Server.replay(store.load(id));
        if (server == null || !server.belongsTo(accountId)) {
            throw ProblemException.notFound("Server", id);
        }
        return server;
    }

    private List<StoredEvent> append(String accountId, String id, int version, List<NewEvent> events) {
        List<StoredEvent> stored = store.append(accountId, Server.AGGREGATE, id, version, events);
        projector.apply(stored);
        return stored;
    }

    private static String simulatedIp() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return r.nextInt(100, 200) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }
}
