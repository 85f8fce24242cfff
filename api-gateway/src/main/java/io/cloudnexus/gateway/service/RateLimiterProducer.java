package io.cloudnexus.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled;

/** Chooses the rate-limit store: in memory (default) or Redis ({@code cloudnexus.gateway.rate-limit.store=redis}). */
@ApplicationScoped
public class RateLimiterProducer {

    private final GatewayConfig.RateLimit config;
    private final Instance<RedisDataSource> redis;
    private final Instance<ReactiveRedisDataSource> reactiveRedis;
    private InMemoryRateLimiter memory;
    private RedisRateLimiter shared;

    public RateLimiterProducer(GatewayConfig config, Instance<RedisDataSource> redis,
            Instance<ReactiveRedisDataSource> reactiveRedis) {
        this.config = config.rateLimit();
        this.redis = redis;
        this.reactiveRedis = reactiveRedis;
    }

    @Produces
    @ApplicationScoped
    RateLimiter rateLimiter() {
        if ("redis".equalsIgnoreCase(config.store())) {
            shared = new RedisRateLimiter(redis.get(), reactiveRedis.get(), config.redisKeyPrefix(), config.window());
            return shared;
        }
        if (!"memory".equalsIgnoreCase(config.store())) {
            throw new IllegalStateException("cloudnexus.gateway.rate-limit.store must be memory or redis, not "
                    + config.store());
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
