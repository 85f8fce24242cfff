package io.cloudnexus.gateway.service;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;

/**
 * Fixed windows per account shared by every gateway replica through Redis: one Lua script increments
 * the account's counter and, on the first request of a window, sets its expiry, atomically; it
 * returns the count and the milliseconds left in the window. If Redis fails, this replica counts in
 * memory until Redis answers again (the limit then holds per replica instead of failing requests).
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

    private final RedisDataSource redis;
    private final ReactiveRedisDataSource reactive;
    private final String keyPrefix;
    private final String windowMillis;
    private final InMemoryRateLimiter fallback;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    /** {@code reactive} may be null: then {@link #hitAsync} is not supported. */
    public RedisRateLimiter(RedisDataSource redis, ReactiveRedisDataSource reactive, String keyPrefix,
            Duration window) {
        this.redis = redis;
        this.reactive = reactive;
        this.keyPrefix = keyPrefix;
        this.windowMillis = Long.toString(window.toMillis());
        this.fallback = new InMemoryRateLimiter(window);
    }

    public RedisRateLimiter(RedisDataSource redis, String keyPrefix, Duration window) {
        this(redis, null, keyPrefix, window);
    }

    @Override
    public Decision hit(String accountId, int limit) {
        try {
            return decision(redis.execute(Command.EVAL, SCRIPT, "1", keyPrefix + accountId, windowMillis), limit);
        } catch (RuntimeException e) {
            return fallback(accountId, limit, e);
        }
    }

    @Override
    public Future<Decision> hitAsync(String accountId, int limit) {
        Context context = Vertx.currentContext();
        if (reactive == null || context == null) {
            return RateLimiter.super.hitAsync(accountId, limit);
        }
        Promise<Decision> promise = Promise.promise();
        reactive.execute(Command.EVAL, SCRIPT, "1", keyPrefix + accountId, windowMillis).subscribe().with(
                reply -> context.runOnContext(v -> promise.complete(decision(reply, limit))),
                failure -> context.runOnContext(v -> promise.complete(fallback(accountId, limit, failure))));
        return promise.future();
    }

    @Override
    public boolean blocking() {
        return reactive == null;
    }

    /** Drops the fallback's ended windows (called periodically). */
    public void evictExpired() {
        fallback.evictExpired();
    }

    private static Decision decision(Response reply, int limit) {
        return Decision.of(reply.get(0).toLong(), limit, reply.get(1).toLong());
    }

    private Decision fallback(String accountId, int limit, Throwable failure) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warnf("Redis rate-limit store failed (%s); counting in memory on this replica meanwhile",
                    failure.getMessage());
        }
        return fallback.hit(accountId, limit);
    }
}
