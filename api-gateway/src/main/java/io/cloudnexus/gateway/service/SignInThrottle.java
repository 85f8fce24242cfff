package io.cloudnexus.gateway.service;

import jakarta.inject.Singleton;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;

/**
 * Failed console sign-ins per source address, in fixed windows of {@code console.sign-in-window} on this
 * replica: after {@code console.sign-in-failures} failures the address may not try again until its window
 * ends (429). Only failures count, so a customer signing in often is never held up.
 */
@Singleton // not proxied: FailureThrottle has no no-args constructor
public class SignInThrottle extends FailureThrottle {

    public SignInThrottle(GatewayConfig config) {
        super(config.console().signInFailures(), config.console().signInWindow());
    }

    @Override
    @Scheduled(every = "60s", delayed = "60s")
    protected void evictExpired() {
        super.evictExpired();
    }
}
