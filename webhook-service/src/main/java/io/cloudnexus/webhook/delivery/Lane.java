package io.cloudnexus.webhook.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

import io.smallrye.faulttolerance.api.Guard;

/**
 * One endpoint's lane: its own queue, a bound on requests in flight, a bound on deliveries held (queued
 * plus in flight), a token-bucket rate limit and a circuit breaker. Lanes share nothing, so a slow or dead
 * endpoint only ever fills its own lane.
 */
final class Lane {

    final String endpointId;
    final Guard breaker;
    private final ArrayDeque<DeliveryTask> queue = new ArrayDeque<>();
    private final int maxInFlight;
    private final int maxHeld;
    private final TokenBucket bucket;
    private final Predicate<DeliveryTask> stillHeld;
    private int inFlight;
    private boolean wakeupArmed;
    private long idleSinceNanos = System.nanoTime();

    /**
     * @param stillHeld false for a task this replica no longer holds (its lease was taken over): it is dropped
     *                  from the queue without an attempt
     */
    Lane(String endpointId, int maxInFlight, int maxHeld, TokenBucket bucket, Guard breaker,
            Predicate<DeliveryTask> stillHeld) {
        this.endpointId = endpointId;
        this.maxInFlight = maxInFlight;
        this.maxHeld = maxHeld;
        this.bucket = bucket;
        this.breaker = breaker;
        this.stillHeld = stillHeld;
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

    /** One attempt finished: frees its slot and starts the next ones. */
    void finished(Consumer<DeliveryTask> sender, LongConsumer wakeup) {
        synchronized (this) {
            inFlight--;
            idle();
        }
        pump(sender, wakeup);
    }

    /**
     * Starts what may start now.
     *
     * @param sender starts one attempt (called outside the lane's lock)
     * @param wakeup arms a timer (nanoseconds) that calls {@link #pump} again when the rate limit allows
     */
    void pump(Consumer<DeliveryTask> sender, LongConsumer wakeup) {
        List<DeliveryTask> start = new ArrayList<>();
        long wait = 0;
        synchronized (this) {
            while (inFlight < maxInFlight && !queue.isEmpty()) {
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
            wakeup.accept(wait);
        }
        start.forEach(sender);
    }

    private void idle() {
        if (!queue.isEmpty() || inFlight > 0) {
            idleSinceNanos = Long.MAX_VALUE;
        } else if (idleSinceNanos == Long.MAX_VALUE) {
            idleSinceNanos = System.nanoTime();
        }
    }

    synchronized void woken() {
        wakeupArmed = false;
    }

    /** Whether nothing was queued or in flight for at least {@code nanos} (and no rate-limit timer is armed). */
    synchronized boolean idleFor(long nanos, long now) {
        return queue.isEmpty() && inFlight == 0 && !wakeupArmed && idleSinceNanos != Long.MAX_VALUE
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
    synchronized void queuedIds(java.util.Set<Long> into) {
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
}
