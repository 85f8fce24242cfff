package io.cloudnexus.compute.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.compute.config.ComputeConfig;
import io.cloudnexus.compute.repository.BackupRequestEntity;
import io.quarkus.scheduler.Scheduled;

/** The simulated backup system: completes due backup requests (backup.completed) through the command path. */
@ApplicationScoped
public class BackupWorker {

    private static final Logger LOG = Logger.getLogger(BackupWorker.class);

    private final SimulatedWork work;
    private final ComputeConfig config;

    public BackupWorker(SimulatedWork work, ComputeConfig config) {
        this.work = work;
        this.config = config;
    }

    @Scheduled(
            every = "${cloudnexus.compute.backups.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void completeDueBackups() {
        List<String> due = BackupRequestEntity.<BackupRequestEntity>find("dueAt <= ?1 order by dueAt", Instant.now())
                .page(0, config.backups().batchSize())
                .stream()
                .map(r -> r.id)
                .toList();
        for (String id : due) {
            try {
                work.completeBackup(id);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Completing backup %s failed; retrying next round", id);
                return; // e.g. the database is away or the service is stopping: the next round retries
            }
        }
    }
}
