package io.cloudnexus.cluster.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.cluster.config.ClusterConfig;
import io.cloudnexus.cluster.repository.ClusterEntity;
import io.quarkus.scheduler.Scheduled;

/**
 * The simulated cloud: nodes join one after another, {@code cloudnexus.cluster.nodes.join-delay} apart, starting
 * that long after the cluster's last event; each round records cluster.node.joined for every node due by then
 * (timestamped with its due time, so the timeline does not depend on the poll interval). Driven by the read
 * model, so it resumes after a restart; idempotent, so several replicas may run it.
 */
@ApplicationScoped
public class NodeJoiner {

    private static final Logger LOG = Logger.getLogger(NodeJoiner.class);

    private final RetriedCommands work;
    private final ClusterConfig config;

    public NodeJoiner(RetriedCommands work, ClusterConfig config) {
        this.work = work;
        this.config = config;
    }

    @Scheduled(
            every = "${cloudnexus.cluster.nodes.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void joinDueNodes() {
        Instant due = Instant.now().minus(config.nodes().joinDelay());
        List<String> ids = ClusterEntity.<ClusterEntity>find(
                        "nodesPending > 0 and updatedAt <= ?1 order by updatedAt", due)
                .page(0, config.nodes().batchSize())
                .stream()
                .map(c -> c.id)
                .toList();
        for (String id : ids) {
            try {
                work.joinDueNodes(id, config.nodes().joinDelay(), config.nodes().maxNodesPerRound());
            } catch (RuntimeException e) {
                LOG.warnf(e, "A node of %s could not join; retrying next round", id);
            }
        }
    }
}
