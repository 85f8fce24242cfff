package io.cloudnexus.eventstore;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.faulttolerance.api.Guard;

/**
 * The shared named fault-tolerance policy for background work on event-sourced aggregates (simulators,
 * schedulers, consumers): a command that lost an optimistic-concurrency race ({@link ConcurrencyConflict}) is
 * retried with fresh state, a few times, with jitter. Use it with {@code @ApplyGuard(AppendRetry.POLICY)} on a
 * method that calls the {@code @Transactional} command (so every attempt is a new transaction). API callers
 * get the 409 instead.
 */
@ApplicationScoped
public class AppendRetry {

    /** Name of the policy, used with {@code @ApplyGuard}. */
    public static final String POLICY = "event-store-append-retry";

    @Produces
    @Identifier(POLICY)
    public static final Guard GUARD = Guard.create()
            .withRetry()
            .maxRetries(10)
            .delay(5, ChronoUnit.MILLIS)
            .jitter(5, ChronoUnit.MILLIS)
            .retryOn(ConcurrencyConflict.class)
            .done()
            .build();
}
