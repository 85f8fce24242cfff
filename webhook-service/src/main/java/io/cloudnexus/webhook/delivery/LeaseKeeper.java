package io.cloudnexus.webhook.delivery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.repository.DeliveryRepository;
import io.cloudnexus.webhook.repository.EngineRepository;

/**
 * Keeps this replica's claim on its work: the heartbeat (every {@code scheduler.heartbeat}; with it the live
 * replica count, the endpoints' rate-limit shares and the idle-lane eviction), the renewal of the leases of
 * every held delivery (every {@code scheduler.lease-renewal}, one batched statement; the ones another replica
 * took over are dropped from memory), and on a clean stop the release of every lease and of the heartbeat.
 */
@ApplicationScoped
public class LeaseKeeper {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

    private final EngineRepository engines;
    private final DeliveryRepository deliveries;
    private final Dispatcher dispatcher;
    private final ResultWriter writer;
    private final EngineIdentity identity;
    private final WebhookConfig config;

    public LeaseKeeper(
            EngineRepository engines,
            DeliveryRepository deliveries,
            Dispatcher dispatcher,
            ResultWriter writer,
            EngineIdentity identity,
            WebhookConfig config) {
        this.engines = engines;
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        this.writer = writer;
        this.identity = identity;
        this.config = config;
    }

    public void heartbeat() {
        try {
            identity.liveReplicas(
                    engines.heartbeat(identity.owner(), config.scheduler().deadAfter()));
            dispatcher.heartbeatOk();
            dispatcher.rates(engines.rateLimits());
        } catch (Exception e) {
            LOG.warnf("engine heartbeat failed: %s", e.getMessage());
        }
        try {
            int evicted = dispatcher.evictIdle();
            if (evicted > 0) {
                LOG.debugf("evicted %d idle lanes", evicted);
            }
        } catch (RuntimeException e) {
            LOG.warnf("evicting idle lanes failed: %s", e.getMessage());
        }
    }

    public void renew() {
        try {
            List<Long> orphans = dispatcher.orphans();
            if (!orphans.isEmpty()) {
                // held but neither queued nor being attempted: release them, so they are claimed and sent again
                LOG.warnf(
                        "%d held deliveries were neither queued nor being attempted; their leases are released",
                        orphans.size());
                deliveries.release(identity.owner(), orphans);
            }
            List<Long> held = dispatcher.heldIds();
            // sent deliveries whose outcome the writer has not committed yet keep their leases too: a lagging writer
            // must not let them be claimed and sent again
            Set<Long> leased = new LinkedHashSet<>(held);
            leased.addAll(writer.unwrittenIds());
            if (leased.isEmpty()) {
                return;
            }
            Set<Long> kept = deliveries.renew(
                    identity.owner(),
                    new ArrayList<>(leased),
                    config.scheduler().lease());
            List<Long> lost = new ArrayList<>();
            for (Long id : held) {
                if (!kept.contains(id)) {
                    lost.add(id);
                }
            }
            dispatcher.lost(lost);
        } catch (Exception e) {
            LOG.warnf("renewing the leases of held deliveries failed: %s", e.getMessage());
        }
    }

    /** After the dispatcher stopped and the outcomes were written: frees this replica's leases and heartbeat. */
    public void release() {
        try {
            int released = deliveries.releaseAll(identity.owner());
            engines.remove(identity.owner());
            LOG.infof("released the leases of %d deliveries", released);
        } catch (Exception e) {
            LOG.warnf(
                    "releasing the leases failed (they are free once the heartbeat is older than %s): %s",
                    config.scheduler().deadAfter(), e.getMessage());
        }
    }
}
