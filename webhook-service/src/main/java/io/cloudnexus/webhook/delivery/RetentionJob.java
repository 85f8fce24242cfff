package io.cloudnexus.webhook.delivery;

import java.sql.SQLException;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.repository.RetentionRepository;

/**
 * The periodic retention run ({@code retention.*}): deletes what finished more than {@code retention.age} ago,
 * in batches, on one replica at a time (see {@link RetentionRepository}).
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    private final RetentionRepository repository;
    private final WebhookConfig config;

    public RetentionJob(RetentionRepository repository, WebhookConfig config) {
        this.repository = repository;
        this.config = config;
    }

    public void run() {
        if (!config.retention().enabled()) {
            return;
        }
        Instant now = Instant.now();
        try {
            RetentionRepository.Result r = repository.run(
                    now.minus(config.retention().age()),
                    Math.max(1, config.retention().batchSize()),
                    now.plus(config.retention().maxRunTime()));
            if (!r.ran()) {
                LOG.debug("retention: another replica is running it");
            } else if (r.deliveries() + r.events() + r.outbox() + r.parked() > 0) {
                LOG.infof(
                        "retention: deleted %d deliveries (with their attempts), %d events, %d outbox rows, %d parked "
                                + "outcomes in %d statements",
                        r.deliveries(), r.events(), r.outbox(), r.parked(), r.statements());
            }
        } catch (SQLException e) {
            LOG.warnf("retention run failed, retried at the next interval: %s", e.getMessage());
        }
    }
}
