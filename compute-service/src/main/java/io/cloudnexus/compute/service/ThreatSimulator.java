package io.cloudnexus.compute.service;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.compute.config.ComputeConfig;
import io.cloudnexus.compute.domain.ServerStatus;
import io.cloudnexus.compute.domain.Threat;
import io.cloudnexus.compute.repository.ServerEntity;
import io.quarkus.scheduler.Scheduled;

/**
 * Demo and load traffic: records {@code cloudnexus.compute.threats.per-minute} security.threat.detected events
 * per minute on random active servers (off when 0, the default). POST /servers/{id}/threats triggers one.
 */
@ApplicationScoped
public class ThreatSimulator {

    private static final Logger LOG = Logger.getLogger(ThreatSimulator.class);

    private final SimulatedWork work;
    private final ComputeConfig config;
    private double owed;

    public ThreatSimulator(SimulatedWork work, ComputeConfig config) {
        this.work = work;
        this.config = config;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void simulate() {
        int perMinute = config.threats().perMinute();
        if (perMinute <= 0) {
            return;
        }
        owed += perMinute / 60.0;
        int now = (int) owed;
        if (now == 0) {
            return;
        }
        owed -= now;
        List<String> targets =
                ServerEntity.<ServerEntity>find("status = ?1 order by random()", ServerStatus.ACTIVE.value())
                        .page(0, now)
                        .stream()
                        .map(s -> s.id)
                        .toList();
        for (String id : targets) {
            try {
                work.detectThreat(id, Threat.random(ThreadLocalRandom.current(), null));
            } catch (RuntimeException e) {
                LOG.debugf(e, "Simulated threat on %s not recorded", id);
            }
        }
    }
}
