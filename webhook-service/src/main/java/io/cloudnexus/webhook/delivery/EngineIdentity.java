package io.cloudnexus.webhook.delivery;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * This replica's lease owner name (unique per process; a restarted process gets a new one and takes its
 * predecessor's work back once the predecessor's heartbeat is older than {@code scheduler.dead-after}), and
 * what its heartbeats last saw: how many replicas are live (for the rate-limit shares).
 */
@ApplicationScoped
public class EngineIdentity {

    private final String owner;
    private volatile int liveReplicas = 1;

    public EngineIdentity() {
        this(UUID.randomUUID().toString());
    }

    /** An identity with a given name (tests that run a second engine in the same process). */
    public EngineIdentity(String owner) {
        this.owner = owner;
    }

    public String owner() {
        return owner;
    }

    /** Live replicas at the last heartbeat, this one included (at least 1). */
    public int liveReplicas() {
        return liveReplicas;
    }

    void liveReplicas(int live) {
        this.liveReplicas = Math.max(1, live);
    }
}
