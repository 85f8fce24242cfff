package io.cloudnexus.webhook.domain;

import java.time.Instant;
import java.util.List;

/**
 * The delivery health of one endpoint over a {@link StatsWindow} (serialised in snake_case): the attempts per time
 * bucket (every bucket of the window, oldest first, empty ones with zeros), the totals of the window, and the
 * endpoint's current backlog. {@code delivered} counts the attempts answered 2xx, {@code failed} every other attempt
 * (another status, a timeout, a refused connection...). Latency percentiles are interpolated
 * ({@code percentile_cont}) and rounded to whole milliseconds; null when there is no attempt, like
 * {@code success_rate}.
 */
public record EndpointStats(
        String endpointId, String window, long bucketSeconds, List<Bucket> buckets, Totals totals, Backlog backlog) {

    /** The attempts made in {@code [start, start + bucket_seconds)}. */
    public record Bucket(Instant start, long attempts, long delivered, long failed, Long p50Ms, Long p95Ms) {}

    /** The attempts of the whole window; {@code success_rate} = delivered / attempts. */
    public record Totals(long attempts, long delivered, long failed, Double successRate, Long p50Ms, Long p95Ms) {}

    /**
     * The endpoint's deliveries waiting now: not attempted yet ({@code pending}), due again after a failure
     * ({@code retrying}), in the dead-letter queue ({@code dead}). Test deliveries count, as in the listings.
     */
    public record Backlog(long pending, long retrying, long dead) {}
}
