package io.cloudnexus.compute.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** compute-service settings ({@code cloudnexus.compute.*}); see application.properties for the values in use. */
@ConfigMapping(prefix = "cloudnexus.compute")
public interface ComputeConfig {

    /** The simulated provisioner that turns provisioning servers active. */
    Provisioner provisioner();

    /** The simulated backup system. */
    Backups backups();

    /** The threat simulator (demo and load traffic). */
    Threats threats();

    interface Provisioner {
        /** How long after server.created the provisioner records server.provisioned. */
        @WithDefault("3s")
        Duration delay();

        /** How often the provisioner looks for due servers (read by its {@code @Scheduled} expression). */
        @WithDefault("1s")
        Duration pollInterval();

        /** How many due servers one provisioner round handles. */
        @WithDefault("100")
        int batchSize();
    }

    interface Backups {
        /** How long a simulated backup takes before backup.completed is recorded. */
        @WithDefault("5s")
        Duration duration();

        /** How often the backup worker looks for due backups (read by its {@code @Scheduled} expression). */
        @WithDefault("1s")
        Duration pollInterval();

        /** How many due backups one round completes. */
        @WithDefault("100")
        int batchSize();
    }

    interface Threats {
        /** Threat events the simulator records per minute on random active servers; 0 turns it off. */
        @WithDefault("0")
        int perMinute();
    }
}
