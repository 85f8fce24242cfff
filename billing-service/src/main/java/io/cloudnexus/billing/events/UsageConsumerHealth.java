package io.cloudnexus.billing.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Liveness of the usage consumer: a consumer thread that died unexpectedly makes the process restartable. */
@Liveness
@ApplicationScoped
public class UsageConsumerHealth implements HealthCheck {

    private final UsageConsumer consumer;

    public UsageConsumerHealth(UsageConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("billing usage consumer").status(consumer.isHealthy()).build();
    }
}
