package io.cloudnexus.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.smallrye.health.api.Wellness;

/**
 * The rate-limit store in {@code /q/health/well} (never in liveness or readiness: the gateway serves
 * without Redis): always up, with the store and, for Redis, the breaker state ({@code closed},
 * {@code open}: counting in memory, {@code half_open}).
 */
@Wellness
@ApplicationScoped
public class RateLimitStoreHealth implements HealthCheck {

    private final GatewayConfig.RateLimit config;
    private final RateLimiter limiter;

    public RateLimitStoreHealth(GatewayConfig config, RateLimiter limiter) {
        this.config = config.rateLimit();
        this.limiter = limiter;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("rate-limit-store")
                .up()
                .withData("store", config.store().toLowerCase(java.util.Locale.ROOT));
        limiter.breaker()
                .ifPresent(
                        state -> response.withData("redis-breaker", state.name().toLowerCase(java.util.Locale.ROOT)));
        return response.build();
    }
}
