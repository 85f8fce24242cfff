package io.cloudnexus.webhook;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Short leases and heartbeats, small per-endpoint and global memory caps, small ingest chunks and replay
 * batches, few endpoints per account and a fast idle-lane eviction, so the engine's bounds show in seconds.
 */
public class LeasesProfile implements QuarkusTestProfile {

    public static final int MAX_HELD_PER_ENDPOINT = 20;
    public static final int MAX_QUEUED = 50;
    public static final int INGEST_CHUNK = 50;
    public static final int REPLAY_BATCH = 10;
    public static final int MAX_ENDPOINTS = 6;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                // the lease tests time heartbeats and renewals to a few hundred ms: no stream feed beside them
                Map.entry("cloudnexus.webhooks.stream.enabled", "false"),
                // dead-after is 15 heartbeats: on a loaded 2-core machine a heartbeat 1.5 s late happened (a live
                // replica then looked dead to its own claims, and deliveries it held were sent twice)
                Map.entry("cloudnexus.webhooks.scheduler.lease", "4s"),
                Map.entry("cloudnexus.webhooks.scheduler.lease-renewal", "400ms"),
                Map.entry("cloudnexus.webhooks.scheduler.heartbeat", "200ms"),
                Map.entry("cloudnexus.webhooks.scheduler.dead-after", "3s"),
                Map.entry("cloudnexus.webhooks.scheduler.replay-batch-size", String.valueOf(REPLAY_BATCH)),
                Map.entry("cloudnexus.webhooks.lane.max-held-per-endpoint", String.valueOf(MAX_HELD_PER_ENDPOINT)),
                Map.entry("cloudnexus.webhooks.lane.max-queued", String.valueOf(MAX_QUEUED)),
                Map.entry("cloudnexus.webhooks.lane.idle-eviction", "1s"),
                Map.entry("cloudnexus.webhooks.lane.max-rate-per-second", "500"),
                Map.entry("cloudnexus.webhooks.consumer.ingest-chunk", String.valueOf(INGEST_CHUNK)),
                Map.entry("cloudnexus.webhooks.endpoints.max-per-account", String.valueOf(MAX_ENDPOINTS)),
                // a slow endpoint answers in 700 ms: within the attempt timeout
                Map.entry("cloudnexus.webhooks.outbound.timeout", "2s"));
    }
}
