package io.cloudnexus.compute.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.compute.config.ComputeConfig;
import io.cloudnexus.compute.domain.ServerStatus;
import io.cloudnexus.compute.repository.ServerEntity;
import io.quarkus.scheduler.Scheduled;

/**
 * The simulated provisioner: servers that have been provisioning for {@code cloudnexus.compute.provisioner.delay}
 * get their IP and become active (server.provisioned), through the same command path as API changes. Driven by
 * the read model, so it resumes after a restart; idempotent, so several replicas may run it.
 */
@ApplicationScoped
public class Provisioner {

    private static final Logger LOG = Logger.getLogger(Provisioner.class);

    private final SimulatedWork work;
    private final ComputeConfig config;

    public Provisioner(SimulatedWork work, ComputeConfig config) {
        this.work = work;
        this.config = config;
    }

    @Scheduled(
            every = "${cloudnexus.compute.provisioner.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void provisionDueServers() {
        Instant due = Instant.now().minus(config.provisioner().delay());
        List<String> ids = ServerEntity.<ServerEntity>find(
                        "status = ?1 and createdAt <= ?2 order by createdAt", ServerStatus.PROVISIONING.value(), due)
                .page(0, config.provisioner().batchSize())
                .stream()
                .map(s -> s.id)
                .toList();
        if (ids.isEmpty()) {
            return;
        }
        try {
            work.provision(ids);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Provisioning %d servers failed; retrying next round", ids.size());
        }
    }
}
