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
    public void claimDue() {
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
}
