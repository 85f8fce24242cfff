package io.cloudnexus.billing.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.cloudnexus.billing.domain.Period;
import io.cloudnexus.billing.events.IncomingEvent;
import io.cloudnexus.billing.repository.MeteredServerEntity;
import io.cloudnexus.billing.repository.UsageRepository;
import io.cloudnexus.billing.repository.UsageSegmentEntity;
import io.cloudnexus.common.rest.SafeText;
import io.cloudnexus.contracts.events.ClusterDeleted;
import io.cloudnexus.contracts.events.ClusterNodeJoined;
import io.cloudnexus.contracts.events.EventData;
import io.cloudnexus.contracts.events.EventTypes;
import io.cloudnexus.contracts.events.ServerCreated;
import io.cloudnexus.contracts.events.ServerProvisioned;
import io.cloudnexus.contracts.events.ServerScaled;
import io.cloudnexus.contracts.events.ServerTerminated;

/**
 * Applies one consumed event to the account's usage, idempotently: the event id goes into {@code consumed_event}
 * in the same transaction as the effect, so a redelivery changes nothing.
 *
 * <p>Servers are billed from server.provisioned (when the customer can use them; provisioning time is free) to
 * server.scaled (a new segment at the new plan starts) or server.terminated. Nodes are billed from
 * cluster.node.joined to cluster.deleted. Times are the events' {@code ce_time}. The data of a metered event is
 * read into its contracts record ({@link EventTypes}); data that does not fit it (which the producers' catalog
 * check on append rules out) is recorded as consumed with outcome {@code malformed}, logged, and meters nothing,
 * so that it cannot stall its partition.
 */
@ApplicationScoped
public class UsageMeter {

    private static final Logger LOG = Logger.getLogger(UsageMeter.class);

    /** What consuming an event did (also the consumed_event.outcome column and a metric tag). */
    public enum Outcome {
        APPLIED,
        NO_USAGE,
        DUPLICATE,
        MALFORMED
    }

    private static final List<String> METERED = List.of(
            ServerCreated.TYPE,
            ServerProvisioned.TYPE,
            ServerScaled.TYPE,
            ServerTerminated.TYPE,
            ClusterNodeJoined.TYPE,
            ClusterDeleted.TYPE);

    private final UsageRepository usage;
    private final InvoiceService invoices;

    public UsageMeter(UsageRepository usage, InvoiceService invoices) {
        this.usage = usage;
        this.invoices = invoices;
    }

    /**
     * Meters a batch (one poll's records, in partition order) in ONE transaction: one commit instead of one per
     * event. If any event fails, nothing of the batch is committed and the caller falls back to {@link #record}.
     */
    @Transactional
    public List<Outcome> recordAll(List<IncomingEvent> events) {
        return events.stream().map(this::record).toList();
    }

    @Transactional
    public Outcome record(IncomingEvent e) {
        EventData data = null;
        Outcome outcome = Outcome.NO_USAGE;
        if (isMetered(e.type())) {
            try {
                data = EventTypes.read(e.type(), e.data());
                outcome = Outcome.APPLIED;
            } catch (IllegalArgumentException malformed) {
                LOG.warnf(
                        "Event %s (%s) meters nothing: %s", e.id(), e.type(), SafeText.forLog(malformed.getMessage()));
                outcome = Outcome.MALFORMED;
            }
        }
        if (!usage.markConsumed(
                e.id(), e.type(), e.accountId(), e.time(), outcome.name().toLowerCase())) {
            return Outcome.DUPLICATE;
        }
        if (data != null) {
            apply(e, data);
            invoices.ensureDraft(e.accountId(), Period.of(e.time()));
        }
        return outcome;
    }

    static boolean isMetered(String type) {
        return METERED.contains(type);
    }

    private void apply(IncomingEvent e, EventData data) {
        if (data instanceof ServerCreated created) {
            if (MeteredServerEntity.findById(created.serverId()) == null) {
                MeteredServerEntity s = new MeteredServerEntity();
                s.serverId = created.serverId();
                s.accountId = e.accountId();
                s.plan = created.plan() == null ? "unknown" : created.plan();
                s.persist();
            }
        } else if (data instanceof ServerProvisioned provisioned) {
            String id = provisioned.serverId();
            MeteredServerEntity s = MeteredServerEntity.findById(id);
            if (usage.open(id) == null) {
                start(e, "server", id, null, s == null ? "unknown" : s.plan);
            }
        } else if (data instanceof ServerScaled scaled) {
            String id = scaled.serverId();
            MeteredServerEntity s = MeteredServerEntity.findById(id);
            if (s != null) {
                s.plan = scaled.plan();
            }
            UsageSegmentEntity open = usage.open(id);
            if (open != null) {
                end(open, e.time());
                start(e, "server", id, null, scaled.plan());
            }
        } else if (data instanceof ServerTerminated terminated) {
            UsageSegmentEntity open = usage.open(terminated.serverId());
            if (open != null) {
                end(open, e.time());
            }
        } else if (data instanceof ClusterNodeJoined joined) {
            String node = joined.clusterId() + "/" + joined.nodeId();
            if (usage.open(node) == null) {
                start(e, "node", node, joined.clusterId(), joined.size());
            }
        } else if (data instanceof ClusterDeleted deleted) {
            usage.openOfCluster(deleted.clusterId()).forEach(s -> end(s, e.time()));
        } else {
            throw new IllegalStateException("not a metered type: " + e.type());
        }
    }

    private static void start(IncomingEvent e, String type, String resourceId, String clusterId, String sku) {
        UsageSegmentEntity s = new UsageSegmentEntity();
        s.accountId = e.accountId();
        s.resourceType = type;
        s.resourceId = resourceId;
        s.clusterId = clusterId;
        s.sku = sku;
        s.startedAt = e.time();
        s.persistAndFlush();
    }

    private static void end(UsageSegmentEntity s, Instant at) {
        s.endedAt = at.isBefore(s.startedAt) ? s.startedAt : at;
        UsageSegmentEntity.flush(); // before a new open segment of the same resource is inserted
    }
}
