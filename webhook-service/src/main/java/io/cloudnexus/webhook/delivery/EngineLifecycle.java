package io.cloudnexus.webhook.delivery;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.events.EventConsumer;
import io.cloudnexus.webhook.events.OutboxRelay;
import io.cloudnexus.webhook.repository.DeliveryRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the engine with the application: loads the endpoint index, records the first heartbeat, then the
 * result writer, the periodic jobs (retry claims, index refresh, outbox relay, queue-depth gauges, heartbeat,
 * lease renewal) and the Kafka consumer; stops them in reverse order and releases the leases.
 */
@ApplicationScoped
public class EngineLifecycle {

    private static final Logger LOG = Logger.getLogger(EngineLifecycle.class);

    private final EndpointIndex index;
    private final ResultWriter writer;
    private final RetryScheduler scheduler;
    private final EventConsumer consumer;
    private final OutboxRelay outbox;
    private final DeliveryRepository deliveries;
    private final DeliveryMetrics metrics;
    private final Dispatcher dispatcher;
    private final LeaseKeeper leases;
    private final WebhookConfig config;
    private ScheduledExecutorService jobs;

    public EngineLifecycle(EndpointIndex index, ResultWriter writer, RetryScheduler scheduler, EventConsumer consumer,
            OutboxRelay outbox, DeliveryRepository deliveries, DeliveryMetrics metrics, Dispatcher dispatcher,
            LeaseKeeper leases, WebhookConfig config) {
        this.index = index;
        this.writer = writer;
        this.scheduler = scheduler;
        this.consumer = consumer;
        this.outbox = outbox;
        this.deliveries = deliveries;
        this.metrics = metrics;
        this.dispatcher = dispatcher;
        this.leases = leases;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        index.reloadAll();
        leases.heartbeat(); // registered (and the rate shares known) before the first claim
        writer.start();
        jobs = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "webhook-engine-jobs");
            t.setDaemon(true);
            return t;
        });
        long claim = Math.max(1, config.scheduler().interval().toMillis());
        jobs.scheduleWithFixedDelay(scheduler::claimDue, claim, claim, TimeUnit.MILLISECONDS);
        long refresh = Math.max(1, config.scheduler().indexRefresh().toMillis());
        jobs.scheduleWithFixedDelay(index::reloadAll, refresh, refresh, TimeUnit.MILLISECONDS);
        jobs.scheduleWithFixedDelay(this::relay, 200, Math.max(50, claim), TimeUnit.MILLISECONDS);
        jobs.scheduleWithFixedDelay(this::gauges, 1, 5, TimeUnit.SECONDS);
        // a renewal (heartbeat) slower than a third of the lease (dead-after) would let live work be taken over
        long heartbeat = Math.max(1, Math.min(config.scheduler().heartbeat().toMillis(),
                config.scheduler().deadAfter().toMillis() / 3));
        jobs.scheduleWithFixedDelay(leases::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        long renewal = Math.max(1, Math.min(config.scheduler().leaseRenewal().toMillis(),
                config.scheduler().lease().toMillis() / 3));
        jobs.scheduleWithFixedDelay(leases::renew, renewal, renewal, TimeUnit.MILLISECONDS);
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
        writer.stop();
        leases.release();
    }

    private void relay() {
        try {
            while (outbox.publishPending() > 0) {
                // drain
            }
        } catch (Exception e) {
            LOG.warnf("publishing webhook.events failed, will retry: %s", e.getMessage());
        }
    }

    private void gauges() {
        try {
            metrics.queueDepth(deliveries.countByStatus());
        } catch (Exception e) {
            LOG.debugf("queue depth query failed: %s", e.getMessage());
        }
    }
}
