package io.cloudnexus.webhook.delivery;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.events.EventConsumer;
import io.cloudnexus.webhook.health.JobMonitor;
import io.cloudnexus.webhook.repository.QueueDepthQueries;
import io.cloudnexus.webhook.security.SecretReencryption;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the engine with the application: re-encrypts legacy endpoint secrets, loads the endpoint index and
 * starts its change listener, records the first heartbeat, then the result writer, the periodic jobs (retry
 * claims, index refresh, queue-depth gauges, retention, heartbeat, lease renewal; each wrapped by
 * {@link JobMonitor} so an exception never cancels it) and the Kafka consumer; stops them in reverse order and
 * releases the leases.
 */
@ApplicationScoped
public class EngineLifecycle {

    private static final Logger LOG = Logger.getLogger(EngineLifecycle.class);

    private final EndpointIndex index;
    private final ResultWriter writer;
    private final RetryScheduler scheduler;
    private final EventConsumer consumer;
    private final QueueDepthQueries depth;
    private final DeliveryMetrics metrics;
    private final Dispatcher dispatcher;
    private final LeaseKeeper leases;
    private final WebhookConfig config;
    private final JobMonitor monitor;
    private final RetentionJob retention;
    private final SecretReencryption reencryption;
    private ScheduledExecutorService jobs;

    public EngineLifecycle(
            EndpointIndex index,
            ResultWriter writer,
            RetryScheduler scheduler,
            EventConsumer consumer,
            QueueDepthQueries depth,
            DeliveryMetrics metrics,
            Dispatcher dispatcher,
            LeaseKeeper leases,
            WebhookConfig config,
            JobMonitor monitor,
            RetentionJob retention,
            SecretReencryption reencryption) {
        this.index = index;
        this.writer = writer;
        this.scheduler = scheduler;
        this.consumer = consumer;
        this.depth = depth;
        this.metrics = metrics;
        this.dispatcher = dispatcher;
        this.leases = leases;
        this.config = config;
        this.monitor = monitor;
        this.retention = retention;
        this.reencryption = reencryption;
    }

    void start(@Observes StartupEvent event) {
        reencryption.run();
        index.reloadAll();
        index.startListening();
        leases.heartbeat(); // registered (and the rate shares known) before the first claim
        writer.start();
        jobs = Executors.newScheduledThreadPool(6, r -> {
            Thread t = new Thread(r, "webhook-engine-jobs");
            t.setDaemon(true);
            return t;
        });
        long claim = Math.max(1, config.scheduler().interval().toMillis());
        schedule("retry-claims", scheduler::claimDue, claim, claim);
        long refresh = Math.max(1, config.scheduler().indexRefresh().toMillis());
        schedule("index-refresh", index::reloadAll, refresh, refresh);
        schedule("queue-depth", this::gauges, 1000, 5000);
        long keep = Math.max(1000, config.retention().interval().toMillis());
        schedule("retention", retention::run, Math.min(keep, 30_000), keep);
        // a renewal (heartbeat) slower than a third of the lease (dead-after) would let live work be taken over
        long heartbeat = Math.max(
                1,
                Math.min(
                        config.scheduler().heartbeat().toMillis(),
                        config.scheduler().deadAfter().toMillis() / 3));
        schedule("heartbeat", leases::heartbeat, heartbeat, heartbeat);
        long renewal = Math.max(
                1,
                Math.min(
                        config.scheduler().leaseRenewal().toMillis(),
                        config.scheduler().lease().toMillis() / 3));
        schedule("lease-renewal", leases::renew, renewal, renewal);
        if (config.consumer().enabled()) {
            consumer.start();
        }
    }

    /**
     * Clean stop: the consumer and the periodic jobs stop, no new attempt starts, the attempts in flight finish
     * (up to the outbound timeout), their outcomes are written, then every lease still held is released so the
     * other replicas claim that work at once.
     */
    void stop(@Observes ShutdownEvent event) {
        consumer.stop();
        if (jobs != null) {
            jobs.shutdownNow();
        }
        dispatcher.stop(config.outbound().timeout().plusSeconds(1));
        index.stopListening();
        writer.stop();
        leases.release();
    }

    private void schedule(String name, Runnable job, long initialDelayMillis, long delayMillis) {
        jobs.scheduleWithFixedDelay(
                monitor.guard(name, java.time.Duration.ofMillis(initialDelayMillis + delayMillis), job),
                initialDelayMillis,
                delayMillis,
                TimeUnit.MILLISECONDS);
    }

    private void gauges() {
        try {
            metrics.queueDepth(depth.counts(config.health().queueDepthCap()));
        } catch (Exception e) {
            LOG.debugf("queue depth query failed: %s", e.getMessage());
        }
    }
}
