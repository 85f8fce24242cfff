package io.cloudnexus.webhook.delivery;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/** This replica's lease owner name: unique per process, so a restarted process never reuses a dead one's leases. */
@ApplicationScoped
public class EngineIdentity {

    private final String owner = UUID.randomUUID().toString();

    public String owner() {
        return owner;
    }
}
