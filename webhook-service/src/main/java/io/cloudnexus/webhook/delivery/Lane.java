package io.cloudnexus.webhook.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import io.smallrye.faulttolerance.api.Guard;

/**
 * One endpoint's lane: its own queue, a bound on requests in flight, a token-bucket rate limit and a
 * circuit breaker. Lanes share nothing, so a slow or dead endpoint only ever fills its own lane.
 */
final class Lane {

    final String endpointId;
    final Guard breaker;
    private final ArrayDeque<DeliveryTask> queue = new ArrayDeque<>();
    private final int maxInFlight;
    private final TokenBucket bucket;
    private int inFlight;
    private boolean wakeupArmed;

    Lane(String endpointId, int maxInFlight, TokenBucket bucket, Guard breaker) {
        this.endpointId = endpointId;
        this.maxInFlight = maxInFlight;
        this.bucket = bucket;
        this.breaker = breaker;
    }

    /**
     * Adds tasks and starts what may start now.
     *
     * @param sender   starts one attempt (called outside the lane's lock)
     * @param wakeup   arms a timer (nanoseconds) that calls {@link #pump} again when the rate limit allows
     */
    void offer(List<DeliveryTask> tasks, Consumer<DeliveryTask> sender, LongConsumer wakeup) {
        synchronized (this) {
            queue.addAll(tasks);
        }
        pump(sender, wakeup);
    }

    /** One attempt finished: frees its slot and starts the next ones. */
    void finished(Consumer<DeliveryTask> sender, LongConsumer wakeup) {
        synchronized (this) {
            inFlight--;
        }
        pump(sender, wakeup);
    }

    void pump(Consumer<DeliveryTask> sender, LongConsumer wakeup) {
        List<DeliveryTask> start = new ArrayList<>();
        long wait = 0;
        synchronized (this) {
            while (inFlight < maxInFlight && !queue.isEmpty()) {
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
        }
        if (wait > 0) {
            wakeup.accept(wait);
        }
        start.forEach(sender);
    }

    synchronized void woken() {
        wakeupArmed = false;
    }

    synchronized int queued() {
        return queue.size();
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
