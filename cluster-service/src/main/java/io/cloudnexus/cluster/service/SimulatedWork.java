package io.cloudnexus.cluster.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.eventstore.AppendRetry;
import io.smallrye.faulttolerance.api.ApplyGuard;

/** The simulators' entry into {@link ClusterCommands}, each call retried on concurrency conflicts. */
@ApplicationScoped
public class SimulatedWork {

    private final ClusterCommands commands;

    public SimulatedWork(ClusterCommands commands) {
        this.commands = commands;
    }

    @ApplyGuard(AppendRetry.POLICY)
    public boolean joinNextNode(String clusterId) {
        return commands.joinNextNode(clusterId);
    }

    @ApplyGuard(AppendRetry.POLICY)
    public boolean finishDeployment(String clusterId, String deploymentId) {
        return commands.finishDeployment(clusterId, deploymentId);
    }
}
