package io.cloudnexus.billing.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.billing.domain.Period;
import io.cloudnexus.billing.events.IncomingEvent;
import io.cloudnexus.billing.repository.MeteredServerEntity;
import io.cloudnexus.billing.repository.UsageRepository;
import io.cloudnexus.billing.repository.UsageSegmentEntity;

/**
 * Applies one consumed event to the account's usage, idempotently: the event id goes into {@code consumed_event}
 * in the same transaction as the effect, so a redelivery changes nothing.
 *
 * <p>Servers are billed from server.provisioned (when the customer can use them; provisioning time is free) to
 * server.scaled (a new segment at the new plan starts) or server.terminated. Nodes are billed from
 * cluster.node.joined to cluster.deleted. Times are the events' {@code ce_time}.
 */
@ApplicationScoped
public class UsageMeter {

    /** What consuming an event did (also the consumed_event.outcome column and a metric tag). */
    public enum Outcome { APPLIED, NO_USAGE, DUPLICATE }

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
        boolean metered = isMetered(e.type());
        Outcome outcome = metered ? Outcome.APPLIED : Outcome.NO_USAGE;
        if (!usage.markConsumed(e.id(), e.type(), e.accountId(), e.time(), outcome.name().toLowerCase())) {
            return Outcome.DUPLICATE;
        }
        if (metered) {
            apply(e);
            invoices.ensureDraft(e.accountId(), Period.of(e.time()));
        }
        return outcome;
    }

    static boolean isMetered(String type) {
        return switch (type) {
            case "server.created", "server.provisioned", "server.scaled", "server.terminated",
                    "cluster.node.joined", "cluster.deleted" -> true;
            default -> false;
        };
    }

    private void apply(IncomingEvent e) {
        JsonNode d = e.data();
        switch (e.type()) {
            case "server.created" -> {
                String id = d.path("server_id").asText();
                if (MeteredServerEntity.findById(id) == null) {
                    MeteredServerEntity s = new MeteredServerEntity();
                    s.serverId = id;
                    s.accountId = e.accountId();
                    s.plan = d.path("plan").asText("unknown");
                    s.persist();
                }
            }
            case "server.provisioned" -> {
                String id = d.path("server_id").asText();
                MeteredServerEntity s = MeteredServerEntity.findById(id);
                if (usage.open(id) == null) {
                    start(e, "server", id, null, s == null ? "unknown" : s.plan);
                }
            }
            case "server.scaled" -> {
                String id = d.path("server_id").asText();
                String plan = d.path("plan").asText();
                MeteredServerEntity s = MeteredServerEntity.findById(id);
                if (s != null) {
                    s.plan = plan;
                }
                UsageSegmentEntity open = usage.open(id);
                if (open != null) {
                    end(open, e.time());
                    start(e, "server", id, null, plan);
                }
            }
            case "server.terminated" -> {
                UsageSegmentEntity open = usage.open(d.path("server_id").asText());
                if (open != null) {
                    end(open, e.time());
                }
            }
            case "cluster.node.joined" -> {
                String cluster = d.path("cluster_id").asText();
                String node = cluster + "/" + d.path("node_id").asText();
                if (usage.open(node) == null) {
                    start(e, "node", node, cluster, d.path("size").asText());
                }
            }
            case "cluster.deleted" -> usage.openOfCluster(d.path("cluster_id").asText())
                    .forEach(s -> end(s, e.time()));
            default -> throw new IllegalStateException("not a metered type: " + e.type());
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
