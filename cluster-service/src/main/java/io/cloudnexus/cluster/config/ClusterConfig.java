package io.cloudnexus.cluster.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** cluster-service settings ({@code cloudnexus.cluster.*}); see application.properties for the values in use. */
@ConfigMapping(prefix = "cloudnexus.cluster")
public interface ClusterConfig {

    /** The simulated node joiner. */
    Nodes nodes();

    /** The simulated deployment runner. */
    Deployments deployments();

    interface Nodes {
        /** How long after the cluster's previous event the next node joins (one node at a time per cluster). */
        @WithDefault("2s")
        Duration joinDelay();

        /**
         * How often the joiner looks for clusters with nodes due (read by its {@code @Scheduled} expression; the
         * Quarkus scheduler runs jobs at most once a second).
         */
        @WithDefault("1s")
        Duration pollInterval();

        /** At most this many nodes of one cluster join in one round (one transaction). */
        @WithDefault("50")
        int maxNodesPerRound();

        /** How many clusters one joiner round handles. */
        @WithDefault("100")
        int batchSize();
    }

    interface Deployments {
        /** How long a deployment runs before deployment.succeeded or deployment.failed is recorded. */
        @WithDefault("5s")
        Duration duration();

        /** How often the runner looks for due deployments (read by its {@code @Scheduled} expression). */
        @WithDefault("1s")
        Duration pollInterval();

        /** How many due deployments one round finishes. */
        @WithDefault("100")
        int batchSize();
    }
}
