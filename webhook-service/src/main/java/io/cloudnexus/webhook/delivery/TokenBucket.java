package io.cloudnexus.webhook.delivery;

/**
 * A per-endpoint token bucket: {@code rate} tokens per second, at most {@code burst} saved. The rate can
 * change (the endpoint's limit, or this replica's share of it, changed). Not thread-safe.
 */
final class TokenBucket {

    private double ratePerNano;
    private double burst;
    private double tokens;
    private long last;

    TokenBucket(double ratePerSecond, double burst) {
        this.last = System.nanoTime();
        set(ratePerSecond, burst);
        this.tokens = this.burst;
    }

    /** This replica's share of an endpoint's limit: {@code limit / liveReplicas}, so the sum stays within it. */
    static double share(int limit, int liveReplicas) {
        return (double) limit / Math.max(1, liveReplicas);
    }

    /** The burst of an endpoint across replicas: at most one second of its limit; split like the rate. */
    static double burstShare(int limit, int burst, int liveReplicas) {
        return Math.max(1, Math.min(limit, burst) / (double) Math.max(1, liveReplicas));
    }

    /** Changes the rate and burst; tokens saved above the new burst are dropped. */
    void set(double ratePerSecond, double burst) {
        refill(System.nanoTime());
        this.ratePerNano = Math.max(1e-3, ratePerSecond) / 1e9;
        this.burst = Math.max(1, burst);
        this.tokens = Math.min(this.tokens, this.burst);
    }

    double ratePerSecond() {
        return ratePerNano * 1e9;
    }

    /** Takes a token and returns 0, or returns the nanoseconds until one is available. */
    long take() {
        refill(System.nanoTime());
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / ratePerNano);
    }

    private void refill(long now) {
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
    }
}
