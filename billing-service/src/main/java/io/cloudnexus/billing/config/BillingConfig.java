package io.cloudnexus.billing.config;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** billing-service settings ({@code cloudnexus.billing.*}); see application.properties for the values in use. */
@ConfigMapping(prefix = "cloudnexus.billing")
public interface BillingConfig {

    /** The price list. */
    Prices prices();

    /** The consumer of compute and cluster events (io.cloudnexus.billing.events.UsageConsumer). */
    Consumer consumer();

    /** The scheduled finalization of invoices. */
    Finalizer finalizer();

    interface Prices {
        /** Currency of every price and invoice (ISO 4217; the catalog allows USD). */
        @WithDefault("USD")
        String currency();

        /** Cents per hour of a running server, per compute plan (e.g. {@code plans.starter=1}). */
        Map<String, Integer> plans();

        /** Cents per hour of a joined Kubernetes node, per node size (e.g. {@code node-sizes."s-2vcpu-4gb"=3}). */
        Map<String, Integer> nodeSizes();
    }

    /** The usage consumer's own settings; its Kafka settings are the channel's ({@code mp.messaging.incoming.usage-events.*}). */
    interface Consumer {
        /** Pause before retrying an event whose transaction failed (database unreachable). */
        @WithDefault("1s")
        Duration retryBackoff();
    }

    interface Finalizer {
        /**
         * When draft invoices of ended periods are finalized: a Quartz cron expression evaluated in UTC (default:
         * monthly, 00:05 on the 1st); {@code off} disables the schedule (admins can still finalize on request).
         */
        @WithDefault("0 5 0 1 * ?")
        String cron();
    }
}
