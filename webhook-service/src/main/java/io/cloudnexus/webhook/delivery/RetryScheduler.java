package io.cloudnexus.webhook.delivery;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.repository.DeliveryRepository;

/**
 * Claims due deliveries (retries, deliveries over their lane's cap, replays, and the work of replicas that died
 * or whose lease expired) from PostgreSQL and hands them to the dispatcher, as long as the dispatcher has room.
 */
@ApplicationScoped
public class RetryScheduler {

    private static final Logger LOG = Logger.getLogger(RetryScheduler.class);
    private final DeliveryRepository repository;
    private final Dispatcher dispatcher;
    private final EngineIdentity identity;
    private final WebhookConfig config;

    public RetryScheduler(DeliveryRepository repository, Dispatcher dispatcher, EngineIdentity identity,
            WebhookConfig config) {
        this.repository = repository;
        this.dispatcher = dispatcher;
        this.identity = identity;
        this.config = config;
    }

    /**
     * One round: claims batches until nothing is due or memory is full. Deliveries of lanes that are full are
     * not claimed (they stay in PostgreSQL); a delivery this replica already holds is never taken twice.
     */
    public void claimDue() {
        try {
            while (dispatcher.room() > 0) {
                int batch = Math.min(config.scheduler().batchSize(), dispatcher.room());
                List<DeliveryTask> tasks = repository.claimDue(identity.owner(), config.scheduler().lease(),
                        config.scheduler().deadAfter(), dispatcher.fullEndpoints(), batch);
                dispatcher.submit(tasks);
                if (tasks.size() < batch) {
                    return;
                }
            }
        } catch (Exception e) {
            LOG.warnf("claiming due deliveries failed: %s", e.getMessage());
        }
    }
}
