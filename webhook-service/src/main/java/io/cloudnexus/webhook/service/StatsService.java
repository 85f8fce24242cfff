package io.cloudnexus.webhook.service;

import java.sql.SQLException;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.webhook.domain.EndpointStats;
import io.cloudnexus.webhook.domain.StatsWindow;
import io.cloudnexus.webhook.repository.StatsQueries;

/**
 * The delivery health of an endpoint for the console: attempts, success rate and latency per time bucket over the
 * last hour or day, and the current backlog. One query per call; the endpoint's ownership is checked in it (another
 * account's endpoint is a 404, like every endpoint route).
 */
@ApplicationScoped
public class StatsService {

    private final StatsQueries queries;

    public StatsService(StatsQueries queries) {
        this.queries = queries;
    }

    /** {@code window}: {@code 1h} (the default when null) or {@code 24h}; anything else is a 400 naming them. */
    public EndpointStats stats(String accountId, String endpointId, String window) {
        StatsWindow parsed = window == null
                ? StatsWindow.HOUR
                : StatsWindow.parse(window)
                        .orElseThrow(() -> ProblemException.invalidField(
                                "window",
                                "must be one of " + String.join(", ", StatsWindow.apiValues()),
                                StatsWindow.apiValues()));
        try {
            return queries.stats(accountId, endpointId, parsed, Instant.now())
                    .orElseThrow(() -> ProblemException.notFound("Webhook endpoint", endpointId));
        } catch (SQLException e) {
            throw new IllegalStateException("database error", e);
        }
    }
}
