package io.cloudnexus.webhook.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.enterprise.util.TypeLiteral;

import org.jboss.logging.Logger;

import io.smallrye.faulttolerance.api.Guard;

/**
 * One endpoint's lane: its own queue, an adaptive bound on requests in flight ({@link ConcurrencyLimit}: grows
 * while the endpoint keeps up, cut when it slows down or fails), a bound on deliveries held (queued plus in
 * flight), a token-bucket rate limit and a circuit breaker. Lanes share nothing, so a slow or dead
 * endpoint only ever fills its own lane. A lane is built with the function that attempts one delivery
 * ({@link Attempt}, the dispatcher's) and only decides when to call it: a free in-flight slot and a token.
 */
final class Lane {

    private static final Logger LOG = Logger.getLogger(Lane.class);

    /** Starts the attempt of one delivery taken from {@code lane}; the lane is told {@link #finished()} once it ends. */
    interface Attempt {
        void start(Lane lane, DeliveryTask task);
    }

    /** Runs {@code action} once, {@code nanos} from now (the lane's rate-limit wakeup). */
    interface Timer {
        void after(long nanos, Runnable action);
    }

    private static final TypeLiteral<CompletionStage<AttemptResult>> RESULT = new TypeLiteral<>() {};

    final String endpointId;
    private final Guard breaker;
    private final Attempt attempt;
    private final Timer timer;
    private final ArrayDeque<DeliveryTask> queue = new ArrayDeque<>();
    private final ConcurrencyLimit limit;
    private final int maxHeld;
    private final TokenBucket bucket;
    private final Predicate<DeliveryTask> stillHeld;
    private int inFlight;
    private boolean wakeupArmed;
    private long idleSinceNanos = System.nanoTime();

    /**
     * @param stillHeld false for a task this replica no longer holds (its lease was taken over): it is dropped
     *                  from the queue without an attempt
     * @param attempt   starts one delivery's attempt (called outside the lane's lock)
     * @param timer     arms the wakeup that starts more once the rate limit allows
     */
    Lane(
            String endpointId,
            ConcurrencyLimit limit,
            int maxHeld,
            TokenBucket bucket,
            Guard breaker,
            Predicate<DeliveryTask> stillHeld,
            Attempt attempt,
            Timer timer) {
        this.endpointId = endpointId;
        this.limit = limit;
        this.maxHeld = maxHeld;
        this.bucket = bucket;
        this.breaker = breaker;
        this.stillHeld = stillHeld;
        this.attempt = attempt;
        this.timer = timer;
    }

    /**
     * Queues as many of {@code tasks} as the lane has room for (held = queued + in flight stays within its
     * bound); returns how many, the first ones of the list. Call {@link #pump} afterwards.
     */
    synchronized int add(List<DeliveryTask> tasks, int globalRoom) {
        int n = Math.max(0, Math.min(Math.min(tasks.size(), globalRoom), maxHeld - queue.size() - inFlight));
        for (int i = 0; i < n; i++) {
            queue.add(tasks.get(i));
        }
        return n;
    }

    /**
     * One attempt finished: feeds the concurrency limit, frees its slot and starts the next ones.
     *
     * @param startNanos when the attempt started ({@link System#nanoTime()})
     * @param signal     what its result says about the endpoint's load
     */
    void finished(long startNanos, ConcurrencyLimit.Signal signal) {
        long now = System.nanoTime();
        synchronized (this) {
            int before = limit.current();
            if (limit.onSample(startNanos, now, inFlight, signal) && LOG.isDebugEnabled()) {
                LOG.debugf(
                        "endpoint %s: concurrency limit %d -> %d (%s, %.1f ms, baseline %.1f ms)",
                        endpointId,
                        before,
                        limit.current(),
                        signal,
                        (now - startNanos) / 1e6,
                        limit.baselineNanos() / 1e6);
            }
            inFlight--;
            idle();
        }
        pump();
    }

    /**
     * Starts what may start now: within the in-flight bound, one token of the rate limit each; when the bucket is
     * empty, arms one wakeup that pumps again once a token is available.
     */
    void pump() {
        List<DeliveryTask> start = new ArrayList<>();
        long wait = 0;
        synchronized (this) {
            while (inFlight < limit.current() && !queue.isEmpty()) {
                if (!stillHeld.test(queue.peek())) {
                    queue.poll(); // taken over by another replica: not ours to send
                    continue;
                }
                wait = bucket.take();
                if (wait > 0) {
                    break;
                }
                inFlight++;
                start.add(queue.poll());
            }
            if (wait > 0 && !wakeupArmed) {
                wakeupArmed = true;
            } else {
                wait = 0;
            }
            idle();
        }
        if (wait > 0) {
            timer.after(wait, this::woken);
        }
        for (DeliveryTask task : start) {
            attempt.start(this, task);
        }
    }

    /**
     * Sends through the endpoint's circuit breaker: {@code send} fails with {@link AttemptFailed} for a failed
     * attempt (counted by the breaker); an open breaker fails the stage with its
     * {@code CircuitBreakerOpenException} without calling {@code send}.
     */
    CompletionStage<AttemptResult> throughBreaker(Supplier<CompletionStage<AttemptResult>> send) {
        try {
            return breaker.get(send, RESULT);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void idle() {
        if (!queue.isEmpty() || inFlight > 0) {
            idleSinceNanos = Long.MAX_VALUE;
        } else if (idleSinceNanos == Long.MAX_VALUE) {
            idleSinceNanos = System.nanoTime();
        }
    }

    private void woken() {
        synchronized (this) {
            wakeupArmed = false;
        }
        pump();
    }

    /** Whether nothing was queued or in flight for at least {@code nanos} (and no rate-limit timer is armed). */
    synchronized boolean idleFor(long nanos, long now) {
        return queue.isEmpty()
                && inFlight == 0
                && !wakeupArmed
                && idleSinceNanos != Long.MAX_VALUE
                && now - idleSinceNanos >= nanos;
    }

    /** Sets this replica's rate and burst for the endpoint. */
    synchronized void rate(double ratePerSecond, double burst) {
        bucket.set(ratePerSecond, burst);
    }

    synchronized double ratePerSecond() {
        return bucket.ratePerSecond();
    }

    /** Adds the ids of the queued deliveries to {@code into}. */
    synchronized void queuedIds(Set<Long> into) {
        for (DeliveryTask task : queue) {
            into.add(task.id());
        }
    }

    /** Queued plus in flight. */
    synchronized int held() {
        return queue.size() + inFlight;
    }

    /** How many more deliveries the lane can hold (0 = full). */
    synchronized int room() {
        return Math.max(0, maxHeld - queue.size() - inFlight);
    }

    synchronized int queued() {
        return queue.size();
    }

    synchronized int inFlight() {
        return inFlight;
    }

    /** The current bound on requests in flight. */
    synchronized int concurrencyLimit() {
        return limit.current();
    }
}
