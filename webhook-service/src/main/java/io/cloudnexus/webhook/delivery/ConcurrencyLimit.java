package io.cloudnexus.webhook.delivery;

/**
 * One endpoint's adaptive bound on requests in flight (AIMD, like TCP congestion control): it grows by one per
 * round trip (+1/limit per answer) while the endpoint answers 2xx..4xx near its baseline latency and the lane
 * actually uses its limit; it is cut multiplicatively when the endpoint signals overload (a timeout, a connection
 * error, 429 or 5xx: {@link Signal#OVERLOAD}) and, less, when the latency rises above the baseline ({@code
 * smoothed latency > baseline * tolerance + slack}; smoothed: an exponential average of the answers' latencies, weight
 * {@value #SMOOTHING} per answer, so one late answer on a busy machine does not cut). Always within {@code [min,
 * max]}. A rising latency never takes it below the initial limit (the fixed bound lanes had before): on a busy
 * host answers slow down for reasons that are not this endpoint's load, and latency cuts down to 1 starved the lane
 * (200 events/s to one endpoint on a loaded machine: p50 3.8 s against 245 ms with the fixed 8); only overload
 * signals go below it, down to {@code min}, and below it any answer grows it back, whatever its latency (else a
 * lane cut by a burst of timeouts would stay low as long as the host is busy).
 *
 * <p>At most one cut per round trip: an answer to a request that was started before the last cut describes the
 * load before it, so it cannot cut again (a burst of timeouts of the requests in flight halves the limit once, not
 * once per request). The baseline is the lowest latency over the last one or two windows of {@code window}
 * answers, so an endpoint that becomes permanently slower gets a new baseline and grows again.
 *
 * <p>Pure and deterministic: the caller passes every time; not thread-safe (the {@link Lane} calls it under its
 * lock).
 */
final class ConcurrencyLimit {

    /** What one finished attempt says about the endpoint's load. */
    enum Signal {
        /** An answer that is not about load (2xx, most 4xx): its latency decides. */
        ANSWERED,
        /** Timeout, connection error, 429, 5xx: cut. */
        OVERLOAD,
        /** Nothing sent (refused address, DNS, internal error, open breaker): no change. */
        NONE
    }

    /** Weight of each answer in the smoothed latency. */
    static final double SMOOTHING = 0.1;

    private final int min;
    private final int latencyFloor;
    private final int max;
    private final double overloadDecrease;
    private final double latencyDecrease;
    private final double tolerance;
    private final long slackNanos;
    private final int window;

    private double limit;
    private long lastCutNanos = Long.MIN_VALUE;
    private long baselineNanos = Long.MAX_VALUE;
    private long previousWindowMin = Long.MAX_VALUE;
    private long windowMin = Long.MAX_VALUE;
    private int windowCount;
    private double smoothedNanos = -1;

    /**
     * @param overloadDecrease the factor applied on an overload signal (e.g. 0.5)
     * @param latencyDecrease  the factor applied when the latency rises above the baseline (e.g. 0.9)
     * @param tolerance        latency up to {@code baseline * tolerance + slack} counts as near the baseline
     * @param window           answers per baseline window
     */
    ConcurrencyLimit(
            int initial,
            int min,
            int max,
            double overloadDecrease,
            double latencyDecrease,
            double tolerance,
            long slackNanos,
            int window) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("need 1 <= min <= max, got min " + min + ", max " + max);
        }
        if (overloadDecrease <= 0 || overloadDecrease >= 1 || latencyDecrease <= 0 || latencyDecrease >= 1) {
            throw new IllegalArgumentException("decrease factors must be in (0, 1)");
        }
        this.min = min;
        this.max = max;
        this.overloadDecrease = overloadDecrease;
        this.latencyDecrease = latencyDecrease;
        this.tolerance = Math.max(1, tolerance);
        this.slackNanos = Math.max(0, slackNanos);
        this.window = Math.max(1, window);
        this.limit = Math.max(min, Math.min(max, initial));
        this.latencyFloor = (int) limit;
    }

    /** Requests that may be in flight now. */
    int current() {
        return (int) limit;
    }

    /** The latency the limit compares answers with (nanos; {@code Long.MAX_VALUE} before the first answer). */
    long baselineNanos() {
        return baselineNanos;
    }

    /**
     * One attempt finished. Returns whether {@link #current()} changed.
     *
     * @param startNanos when the attempt started
     * @param endNanos   when it finished (so its latency is {@code endNanos - startNanos})
     * @param inFlight   requests in flight when it finished, itself included
     */
    boolean onSample(long startNanos, long endNanos, int inFlight, Signal signal) {
        int before = current();
        switch (signal) {
            case NONE -> {
                return false;
            }
            case OVERLOAD -> cut(startNanos, endNanos, overloadDecrease, min);
            case ANSWERED -> {
                long latency = Math.max(0, endNanos - startNanos);
                observe(latency);
                boolean slow = smoothedNanos > baselineNanos * tolerance + slackNanos;
                if (slow && limit > latencyFloor) {
                    cut(startNanos, endNanos, latencyDecrease, latencyFloor);
                } else if (inFlight * 2 >= current()) {
                    // only while the limit is in use: an idle lane's limit says nothing about the endpoint. Up to
                    // the initial limit any answer grows it back (latency alone does not hold it down there)
                    limit = Math.min(slow ? latencyFloor : max, limit + 1.0 / limit);
                }
            }
        }
        return current() != before;
    }

    private void cut(long startNanos, long endNanos, double factor, int floor) {
        if (startNanos <= lastCutNanos || limit <= floor) {
            return; // started before the last cut (already accounted for), or nothing to cut
        }
        limit = Math.max(floor, limit * factor);
        lastCutNanos = endNanos;
    }

    /** The smoothed latency of the answers (nanos; -1 before the first). */
    double smoothedNanos() {
        return smoothedNanos;
    }

    private void observe(long latency) {
        smoothedNanos = smoothedNanos < 0 ? latency : smoothedNanos + (latency - smoothedNanos) * SMOOTHING;
        windowMin = Math.min(windowMin, latency);
        if (++windowCount >= window) {
            previousWindowMin = windowMin;
            windowMin = Long.MAX_VALUE;
            windowCount = 0;
        }
        baselineNanos = Math.min(previousWindowMin, windowMin);
    }
}
