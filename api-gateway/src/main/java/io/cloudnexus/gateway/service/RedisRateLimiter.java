package io.cloudnexus.gateway.service;

import java.time.Duration;
import java.util.List;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Response;

/**
 * Fixed windows per account shared by every gateway replica through Redis: one Lua script increments
 * the account's counter and, on the first request of a window, sets its expiry, atomically; it
 * returns the count and the milliseconds left in the window.
 */
public class RedisRateLimiter implements RateLimiter {

    static final String SCRIPT = """
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
            return {count, ttl}
            """;

    private final RedisDataSource redis;
    private final String keyPrefix;
    private final String windowMillis;

    public RedisRateLimiter(RedisDataSource redis, String keyPrefix, Duration window) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.windowMillis = Long.toString(window.toMillis());
    }

    @Override
    public Decision hit(String accountId, int limit) {
        Response reply = redis.execute(Command.EVAL, SCRIPT, "1", keyPrefix + accountId, windowMillis);
        List<Response> values = List.of(reply.get(0), reply.get(1));
        return Decision.of(values.get(0).toLong(), limit, values.get(1).toLong());
    }

    @Override
    public boolean blocking() {
        return true;
    }
}
