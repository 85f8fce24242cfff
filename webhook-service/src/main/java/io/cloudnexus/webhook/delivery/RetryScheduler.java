package io.cloudnexus.webhook.delivery;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.repository.DeliveryRepository;

/**
 * Claims due deliveries (retries, deliveries over their lane's cap, replays, recoveries, a resumed endpoint's held
 * deliveries, and the work of replicas that died or whose lease expired) from PostgreSQL and hands them to the
 * dispatcher, as long as the dispatcher has room. Runs every {@code scheduler.interval}, and at once when woken
 * ({@link #wake()}: an endpoint was resumed or re-enabled); one round at a time.
 */
@ApplicationScoped
public class RetryScheduler {

    private static final Logger LOG = Logger.getLogger(RetryScheduler.class);
    private final DeliveryRepository repository;
    private final Dispatcher dispatcher;
    private final EngineIdentity identity;
    private final WebhookConfig config;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final ExecutorService waker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "webhook-claim-wake");
        t.setDaemon(true);
        return t;
    });

    public RetryScheduler(
            DeliveryRepository repository, Dispatcher dispatcher, EngineIdentity identity, WebhookConfig config) {
        this.repository = repository;
        this.dispatcher = dispatcher;
        this.identity = identity;
        this.config = config;
    }

    /**
     * One round: claims batches until nothing is due or memory is full. Each endpoint's deliveries are claimed
     * only up to the room its lane has (a full lane's stay in PostgreSQL), so one endpoint's backlog never fills a
     * batch; a delivery this replica already holds is never taken twice.
     */
    public synchronized void claimDue() {
        try {
            while (dispatcher.room() > 0) {
                int batch = Math.min(config.scheduler().batchSize(), dispatcher.room());
                List<DeliveryTask> tasks = repository.claimDue(
                        identity.owner(),
                        config.scheduler().lease(),
                        config.scheduler().deadAfter(),
                        dispatcher.laneRooms(),
                        config.lane().maxHeldPerEndpoint(),
                        batch);
                dispatcher.submit(tasks);
                if (!tasks.isEmpty()) {
                    LOG.debugf("claimed %d of at most %d due deliveries", tasks.size(), batch);
                }
                if (tasks.size() < batch) {
                    return;
                }
            }
        } catch (Exception e) {
            LOG.warnf("claiming due deliveries failed: %s", e.getMessage());
        }
    }

    /**
     * Runs a claim round now, on its own thread (the caller does not wait); wakes that come while one is pending
     * are one round.
     */
    public void wake() {
        if (wakePending.compareAndSet(false, true)) {
            try {
                waker.execute(() -> {
                    wakePending.set(false);
                    claimDue();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                wakePending.set(false); // stopping: the next start claims
            }
        }
    }

    @PreDestroy
    void stop() {
        waker.shutdownNow();
    }
}
