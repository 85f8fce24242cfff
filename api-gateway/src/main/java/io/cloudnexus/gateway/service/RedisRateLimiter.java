package io.cloudnexus.gateway.service;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.cloudnexus.gateway.problem.LogSafe;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Fixed windows per account shared by every gateway replica through Redis: one Lua script increments
 * the account's counter and, on the first request of a window, sets its expiry, atomically; it
 * returns the count and the milliseconds left in the window.
 *
 * <p>Redis never holds a request up: each call has a timeout ({@code rate-limit.redis-timeout}), and a
 * circuit {@link Breaker} opens after {@code redis-breaker-failures} consecutive failures or timeouts;
 * while it is open Redis is not asked and this replica counts in memory (the limit then holds per
 * replica instead of failing requests). After {@code redis-breaker-open-for} one request probes Redis
 * (half open): an answer closes the breaker, a failure opens it again.
 */
public class RedisRateLimiter implements RateLimiter {

    private static final Logger LOG = Logger.getLogger(RedisRateLimiter.class);
    private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    static final String SCRIPT = """
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
            return {count, ttl}
            """;

    /** The breaker's state: Redis asked (closed), not asked (open), one probe on its way (half open). */
    public enum Breaker {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final Redis redis;
    private final String keyPrefix;
    private final String windowMillis;
    private final Duration timeout;
    private final int failureThreshold;
    private final long openNanos;
    private final InMemoryRateLimiter fallback;
    private final AtomicReference<Breaker> state = new AtomicReference<>(Breaker.CLOSED);
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong openUntil = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    public RedisRateLimiter(
            Redis redis, String keyPrefix, Duration window, Duration timeout, int failureThreshold, Duration openFor) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.windowMillis = Long.toString(window.toMillis());
        this.timeout = timeout;
        this.failureThreshold = Math.max(1, failureThreshold);
        this.openNanos = openFor.toNanos();
        this.fallback = new InMemoryRateLimiter(window);
    }

    @Override
    public Decision hit(String accountId, int limit) {
        return count(accountId, limit).await().indefinitely();
    }

    @Override
    public Future<Decision> hitAsync(String accountId, int limit) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Future.succeededFuture(hit(accountId, limit));
        }
        Promise<Decision> promise = Promise.promise();
        count(accountId, limit).subscribe().with(decision -> context.runOnContext(v -> promise.complete(decision)));
        return promise.future();
    }

    /** Counts in Redis (bounded by the timeout) unless the breaker is open; never fails. */
    private Uni<Decision> count(String accountId, int limit) {
        if (!redisAllowed()) {
            return Uni.createFrom().item(() -> fallback.hit(accountId, limit));
        }
        Request eval = Request.cmd(Command.EVAL)
                .arg(SCRIPT)
                .arg(1)
                .arg(keyPrefix + accountId)
                .arg(windowMillis);
        return Uni.createFrom()
                .deferred(() -> redis.send(eval))
                .ifNoItem()
                .after(timeout)
                .fail()
                .map(reply -> {
                    Decision decision = decision(reply, limit);
                    succeeded();
                    return decision;
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    failed(failure);
                    return fallback.hit(accountId, limit);
                });
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public java.util.Optional<Breaker> breaker() {
        return java.util.Optional.of(breakerState());
    }

    /** The breaker's current state (health check, metrics). */
    public Breaker breakerState() {
        Breaker current = state.get();
        return current == Breaker.OPEN && System.nanoTime() - openUntil.get() >= 0 ? Breaker.HALF_OPEN : current;
    }

    /** Drops the fallback's ended windows (called periodically). */
    public void evictExpired() {
        fallback.evictExpired();
    }

    private boolean redisAllowed() {
        Breaker current = state.get();
        if (current == Breaker.CLOSED) {
            return true;
        }
        // open: after the open period the first request becomes the probe (half open); the others count in memory
        return current == Breaker.OPEN
                && System.nanoTime() - openUntil.get() >= 0
                && state.compareAndSet(Breaker.OPEN, Breaker.HALF_OPEN);
    }

    private void succeeded() {
        consecutiveFailures.set(0);
        if (state.getAndSet(Breaker.CLOSED) != Breaker.CLOSED) {
            LOG.info("Redis rate-limit store answers again; counting in Redis");
        }
    }

    private void failed(Throwable failure) {
        if (state.get() == Breaker.HALF_OPEN || consecutiveFailures.incrementAndGet() >= failureThreshold) {
            openUntil.set(System.nanoTime() + openNanos);
            consecutiveFailures.set(0);
            state.set(Breaker.OPEN);
        }
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warnf(
                    "Redis rate-limit store failed (%s); counting in memory on this replica meanwhile",
                    LogSafe.clean(failure.getClass().getSimpleName() + ": " + failure.getMessage()));
        }
    }

    private static Decision decision(Response reply, int limit) {
        return Decision.of(reply.get(0).toLong(), limit, reply.get(1).toLong());
    }
}
