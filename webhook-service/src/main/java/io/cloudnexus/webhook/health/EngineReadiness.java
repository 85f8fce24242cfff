package io.cloudnexus.webhook.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /q/health/ready}: the engine keeps up (see {@link EngineHealth}). */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {

    private final EngineHealth health;

    public EngineReadiness(EngineHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        return health.readiness();
    }
}
