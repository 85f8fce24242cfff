package io.cloudnexus.webhook.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** {@code /q/health/live}: the engine's threads are alive and not stuck (see {@link EngineHealth}). */
@Liveness
@ApplicationScoped
public class EngineLiveness implements HealthCheck {

    private final EngineHealth health;

    public EngineLiveness(EngineHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        return health.liveness();
    }
}
