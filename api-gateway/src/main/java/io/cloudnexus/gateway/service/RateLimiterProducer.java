package io.cloudnexus.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled;

/** Chooses the rate-limit store: in memory (default) or Redis ({@code cloudnexus.gateway.rate-limit.store=redis}). */
@ApplicationScoped
public class RateLimiterProducer {

    private final GatewayConfig.RateLimit config;
    private final Instance<RedisDataSource> redis;
    private InMemoryRateLimiter memory;

    public RateLimiterProducer(GatewayConfig config, Instance<RedisDataSource> redis) {
        this.config = config.rateLimit();
        this.redis = redis;
    }

    @Produces
    @ApplicationScoped
    RateLimiter rateLimiter() {
        if ("redis".equalsIgnoreCase(config.store())) {
            return new RedisRateLimiter(redis.get(), config.redisKeyPrefix(), config.window());
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
    }
}
