package io.cloudnexus.compute.service;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.cloudnexus.eventstore.ConcurrencyConflict;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.Guard;

/**
 * The named fault-tolerance policy of the background workers: an append that lost an optimistic-concurrency
 * race (a user changed the same server meanwhile) is retried with the fresh state, a few times, with jitter.
 * API callers get the 409 instead.
 */
@ApplicationScoped
public class AppendRetry {

    /** Name of the policy, used with {@code @ApplyGuard}. */
    public static final String POLICY = "event-append-retry";

    @Produces
    @Identifier(POLICY)
    public static final Guard GUARD = Guard.create()
            .withRetry().maxRetries(10).delay(5, ChronoUnit.MILLIS).jitter(5, ChronoUnit.MILLIS)
            .retryOn(ConcurrencyConflict.class).done()
            .build();
}
