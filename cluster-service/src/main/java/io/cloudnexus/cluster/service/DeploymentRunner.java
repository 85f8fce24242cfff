package io.cloudnexus.cluster.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.cluster.config.ClusterConfig;
import io.cloudnexus.cluster.repository.DeploymentEntity;
import io.quarkus.scheduler.Scheduled;

/**
 * The simulated rollout: a deployment pending for {@code cloudnexus.cluster.deployments.duration} gets its outcome
 * (deployment.succeeded or deployment.failed, by {@link io.cloudnexus.cluster.domain.DeploymentRules}).
 */
@ApplicationScoped
public class DeploymentRunner {

    private static final Logger LOG = Logger.getLogger(DeploymentRunner.class);

    private final RetriedCommands work;
    private final ClusterConfig config;

    public DeploymentRunner(RetriedCommands work, ClusterConfig config) {
        this.work = work;
        this.config = config;
    }

    @Scheduled(
            every = "${cloudnexus.cluster.deployments.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void finishDueDeployments() {
        Instant due = Instant.now().minus(config.deployments().duration());
        List<DeploymentEntity> rows = DeploymentEntity.<DeploymentEntity>find(
                        "status = 'pending' and createdAt <= ?1 order by createdAt", due)
                .page(0, config.deployments().batchSize())
                .list();
        for (DeploymentEntity d : rows) {
            try {
                work.finishDeployment(d.clusterId, d.id);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Deployment %s could not finish; retrying next round", d.id);
            }
        }
    }
}
