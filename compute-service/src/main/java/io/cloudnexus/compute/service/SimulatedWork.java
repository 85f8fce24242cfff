package io.cloudnexus.compute.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.compute.domain.Threat;
import io.cloudnexus.eventstore.AppendRetry;
import io.smallrye.faulttolerance.api.ApplyGuard;

/** The workers' entry into {@link ServerCommands}, each call retried on concurrency conflicts. */
@ApplicationScoped
public class SimulatedWork {

    private final ServerCommands commands;

    public SimulatedWork(ServerCommands commands) {
        this.commands = commands;
    }

    /** One provisioner round; a conflict with a concurrent user change retries the round with fresh state. */
    @ApplyGuard(AppendRetry.POLICY)
    public int provision(List<String> serverIds) {
        return commands.provision(serverIds);
    }

    @ApplyGuard(AppendRetry.POLICY)
    public boolean completeBackup(String requestId) {
        return commands.completeBackup(requestId);
    }

    @ApplyGuard(AppendRetry.POLICY)
    public void detectThreat(String serverId, Threat threat) {
        commands.detectThreat(null, serverId, threat);
    }
}
