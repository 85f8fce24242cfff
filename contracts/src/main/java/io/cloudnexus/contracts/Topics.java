package io.cloudnexus.contracts;

import java.util.List;

/**
 * Kafka topic names: one topic per producing domain.
 *
 * <p>Each record on these topics is one event in CloudEvents binary mode (see
 * {@link CloudEventHeaders}): the record key is the aggregate id, the value is the event's
 * {@code data} object as canonical JSON. Which topic carries which event type is recorded in the
 * catalog ({@link EventTypeDefinition#topic()}).
 */
public final class Topics {

    /** Events of servers, backups, firewalls and threat detection (compute-service). */
    public static final String COMPUTE_EVENTS = "compute.events";

    /** Events of Kubernetes clusters, nodes and deployments (cluster-service). */
    public static final String CLUSTER_EVENTS = "cluster.events";

    /** Events of invoices (billing-service). */
    public static final String BILLING_EVENTS = "billing.events";

    /** Events about webhook endpoints themselves (webhook-service), e.g. auto-disable. */
    public static final String WEBHOOK_EVENTS = "webhook.events";

    /**
     * Every domain topic, in a stable order. These are the topics whose events can be delivered
     * to webhook subscribers, so the delivery engine consumes all of them.
     */
    public static final List<String> DOMAIN_TOPICS =
            List.of(COMPUTE_EVENTS, CLUSTER_EVENTS, BILLING_EVENTS, WEBHOOK_EVENTS);

    private Topics() {}
}
