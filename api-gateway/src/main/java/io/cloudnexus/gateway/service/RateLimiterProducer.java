package io.cloudnexus.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.redis.client.Redis;

/**
 * Chooses the rate-limit store: in memory (default) or Redis ({@code cloudnexus.gateway.rate-limit.store=redis});
 * with Redis, its breaker state is the gauge {@code cloudnexus_gateway_rate_limit_redis_breaker_state}
 * (0 closed, 1 open, 2 half open).
 */
@ApplicationScoped
public class RateLimiterProducer {

    private final GatewayConfig.RateLimit config;
    private final Instance<Redis> redis;
    private final MeterRegistry registry;
    private InMemoryRateLimiter memory;
    private RedisRateLimiter shared;

    public RateLimiterProducer(GatewayConfig config, Instance<Redis> redis, MeterRegistry registry) {
        this.config = config.rateLimit();
        this.redis = redis;
        this.registry = registry;
    }

    @Produces
    @ApplicationScoped
    RateLimiter rateLimiter() {
        if ("redis".equalsIgnoreCase(config.store())) {
            shared = new RedisRateLimiter(
                    redis.get(),
                    config.redisKeyPrefix(),
                    config.window(),
                    config.redisTimeout(),
                    config.redisBreakerFailures(),
                    config.redisBreakerOpenFor());
            RedisRateLimiter limiter = shared;
            Gauge.builder(
                            "cloudnexus.gateway.rate_limit.redis.breaker.state",
                            limiter,
                            l -> l.breakerState().ordinal())
                    .description(
                            "Breaker of the Redis rate-limit store: 0 closed, 1 open (counting in memory), 2 half open")
                    .register(registry);
            return shared;
        }
        if (!"memory".equalsIgnoreCase(config.store())) {
            throw new IllegalStateException(
                    "cloudnexus.gateway.rate-limit.store must be memory or redis, not " + config.store());
        }
        memory = new InMemoryRateLimiter(config.window());
        return memory;
    }

    @Scheduled(every = "60s", delayed = "60s")
    void evictExpired() {
        if (memory != null) {
            memory.evictExpired();
        }
        if (shared != null) {
            shared.evictExpired();
        }
    }
}
