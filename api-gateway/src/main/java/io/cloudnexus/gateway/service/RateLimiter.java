package io.cloudnexus.gateway.service;

import java.util.Map;

import io.vertx.core.Future;

/** Counts an account's requests in its current window and says whether one more is allowed. */
public interface RateLimiter {

    /**
     * The outcome of counting one request.
     *
     * @param allowed whether the request is within the limit
     * @param limit requests allowed per window
     * @param remaining requests left in this window
     * @param resetEpochSeconds when the window ends (Unix seconds)
     * @param retryAfterSeconds seconds until the window ends (at least 1)
     */
    record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds, long retryAfterSeconds) {

        /** The X-RateLimit-* headers every response carries. */
        public Map<String, String> headers() {
            return Map.of(
                    "X-RateLimit-Limit",
                    Integer.toString(limit),
                    "X-RateLimit-Remaining",
                    Integer.toString(remaining),
                    "X-RateLimit-Reset",
                    Long.toString(resetEpochSeconds));
        }

        static Decision of(long count, int limit, long millisLeft) {
            long nowMillis = System.currentTimeMillis();
            long retry = Math.max(1, (millisLeft + 999) / 1000);
            return new Decision(
                    count <= limit,
                    limit,
                    (int) Math.max(0, limit - count),
                    (nowMillis + millisLeft + 999) / 1000,
                    retry);
        }
    }

    /** Counts one request of {@code accountId} against {@code limit}; may block (call it off the event loop). */
    Decision hit(String accountId, int limit);

    /**
     * The same without blocking: safe on the event loop; the future completes on the caller's Vert.x
     * context.
     */
    default Future<Decision> hitAsync(String accountId, int limit) {
        return Future.succeededFuture(hit(accountId, limit));
    }

    /** Whether {@link #hit} may block (network I/O). */
    boolean blocking();

    /** The state of the store's circuit breaker, if it has one (the Redis store). */
    default java.util.Optional<RedisRateLimiter.Breaker> breaker() {
        return java.util.Optional.empty();
    }
}
