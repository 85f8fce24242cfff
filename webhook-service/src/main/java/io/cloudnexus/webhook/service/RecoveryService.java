package io.cloudnexus.webhook.service;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.EndpointRoute;
import io.cloudnexus.webhook.delivery.RetryScheduler;
import io.cloudnexus.webhook.domain.EndpointStatus;
import io.cloudnexus.webhook.domain.WebhookEndpoint;
import io.cloudnexus.webhook.repository.RecoveryRepository;

/**
 * {@code POST /webhooks/{id}/recover}: queues again for the endpoint every event of its account that occurred in
 * [since, until) (until: now by default), matches the endpoint's CURRENT subscription and was not delivered to it:
 * what it missed while disabled (a disabled endpoint gets no deliveries), and its dead letters of that window.
 * The window must lie within the retention period ({@code retention.age}) and not in the future (a minute of clock
 * skew is allowed at both ends; the window is then cut to what is stored). Set-based, in batches of
 * {@code scheduler.replay-batch-size} events; the scheduler then sends them as the lane has room. A disabled
 * endpoint is a 409 (enable it first); a paused one gets them held until it is resumed.
 */
@ApplicationScoped
public class RecoveryService {

    /** Clock difference allowed between the caller and the service, at both ends of the window. */
    static final Duration SKEW = Duration.ofMinutes(1);

    private final EndpointService endpoints;
    private final RecoveryRepository recovery;
    private final RetryScheduler scheduler;
    private final WebhookConfig config;

    public RecoveryService(
            EndpointService endpoints, RecoveryRepository recovery, RetryScheduler scheduler, WebhookConfig config) {
        this.endpoints = endpoints;
        this.recovery = recovery;
        this.scheduler = scheduler;
        this.config = config;
    }

    /** Returns how many deliveries were queued again (created, or revived from the dead-letter queue). */
    public int recover(String accountId, String endpointId, Instant since, Instant until) {
        WebhookEndpoint endpoint = endpoints.owned(accountId, endpointId);
        if (since == null) {
            throw ProblemException.invalidField("since", "is required (ISO-8601, e.g. 2025-04-15T10:32:00Z)", null);
        }
        Instant now = Instant.now();
        Duration retention = config.retention().age();
        Instant oldest = now.minus(retention);
        if (since.isBefore(oldest.minus(SKEW))) {
            throw ProblemException.invalidField(
                    "since",
                    "must be within the retention period of " + retention.toDays() + " days (at or after "
                            + EventEnvelope.formatTimestamp(oldest) + ")",
                    null);
        }
        if (until != null && until.isAfter(now.plus(SKEW))) {
            throw ProblemException.invalidField("until", "must not be in the future", null);
        }
        Instant end = until == null ? now : until;
        if (!end.isAfter(since)) {
            throw ProblemException.invalidField("until", "must be after since", null);
        }
        if (endpoint.status == EndpointStatus.DISABLED) {
            throw ProblemException.conflict("The endpoint is disabled: enable it first, then recover what it missed.");
        }
        Instant start = since.isBefore(oldest) ? oldest : since;
        Instant stop = end.isAfter(now) ? now : end;
        List<String> filters = List.of(endpoint.eventTypes);
        int recovered;
        try {
            recovered = recovery.recover(
                    accountId,
                    endpointId,
                    start,
                    stop,
                    type -> EndpointRoute.wants(filters, type),
                    config.scheduler().replayBatchSize());
        } catch (SQLException e) {
            throw new IllegalStateException("database error", e);
        }
        if (recovered > 0) {
            scheduler.wake();
        }
        return recovered;
    }
}
