package io.cloudnexus.cluster.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.cluster.repository.ClusterEntity;
import io.cloudnexus.cluster.repository.DeploymentEntity;
import io.cloudnexus.eventstore.AppendRetry;
import io.smallrye.faulttolerance.api.ApplyGuard;

/**
 * {@link ClusterCommands} for changes of existing clusters, each retried (a new transaction, a fresh load, a new
 * decision) when another writer appended to the same cluster meanwhile: the simulators append often, and neither
 * they nor API callers state an expected version, so re-deciding loses nothing. An API caller gets the 409 only
 * if the command keeps losing (policy {@link AppendRetry#POLICY}).
 */
@ApplicationScoped
public class RetriedCommands {

    private final ClusterCommands commands;

    public RetriedCommands(ClusterCommands commands) {
        this.commands = commands;
    }

    @ApplyGuard(AppendRetry.POLICY)
    public ClusterEntity scalePool(String accountId, String id, String pool, int count) {
        return commands.scalePool(accountId, id, pool, count);
    }

    @ApplyGuard(AppendRetry.POLICY)
    public ClusterEntity delete(String accountId, String id) {
        return commands.delete(accountId, id);
    }

    @ApplyGuard(AppendRetry.POLICY)
    public DeploymentEntity deploy(String accountId, String id, String image, int replicas) {
        return commands.deploy(accountId, id, image, replicas);
    }

    @ApplyGuard(AppendRetry.POLICY)
    public int joinDueNodes(String clusterId, Duration delay, int max) {
        return commands.joinDueNodes(clusterId, delay, max);
    }

    @ApplyGuard(AppendRetry.POLICY)
    public boolean finishDeployment(String clusterId, String deploymentId) {
        return commands.finishDeployment(clusterId, deploymentId);
    }
}
