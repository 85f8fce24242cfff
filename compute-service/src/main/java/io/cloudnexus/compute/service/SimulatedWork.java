package io.cloudnexus.compute.service;

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

    @ApplyGuard(AppendRetry.POLICY)
    public boolean provision(String serverId) {
        return commands.provision(serverId);
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
