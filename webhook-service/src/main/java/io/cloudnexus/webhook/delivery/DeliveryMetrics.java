package io.cloudnexus.webhook.delivery;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.domain.DeliveryStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer metrics of the engine: {@code webhook_deliveries_total{outcome}}, the attempt latency
 * histogram {@code webhook_attempt_seconds}, {@code webhook_queue_depth{state}}, {@code webhook_consumer_lag} and
 * each lane's adaptive bound on requests in flight, {@code webhook_lane_concurrency_limit{endpoint}} (while the lane
 * exists).
 */
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<DeliveryStatus, AtomicLong> depth = new EnumMap<>(DeliveryStatus.class);
    private final AtomicLong lag = new AtomicLong();
    private final Map<String, Gauge> laneLimits = new ConcurrentHashMap<>();
    private final Timer attempts;
    private final Timer ingest;
    private final Timer laneWait;
    private final io.micrometer.core.instrument.DistributionSummary batchSize;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.attempts = Timer.builder("webhook.attempt")
                .description("Duration of delivery attempts")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        this.ingest = Timer.builder("webhook.ingest")
                .description("Per poll: persisting the deliveries (committed) and sending the offset commit")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram() // buckets: a benchmark phase's percentiles are their difference
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        this.laneWait = Timer.builder("webhook.lane.wait")
                .description("Time a delivery waits in memory before its attempt starts")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        this.batchSize = io.micrometer.core.instrument.DistributionSummary.builder("webhook.ingest.records")
                .description("Records per consumer poll")
                .register(registry);
        registry.gauge("webhook.consumer.lag", lag);
        for (DeliveryStatus state :
                new DeliveryStatus[] {DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.DEAD}) {
            depth.put(
                    state,
                    registry.gauge(
                            "webhook.queue.depth",
                            io.micrometer.core.instrument.Tags.of("state", state.db()),
                            new AtomicLong()));
        }
    }

    void inMemory(AtomicInteger held) {
        registry.gauge("webhook.queue.depth", io.micrometer.core.instrument.Tags.of("state", "in_memory"), held);
    }

    /** A lane was created: publishes its concurrency limit. */
    void laneOpened(String endpointId, java.util.function.IntSupplier limit) {
        laneClosed(endpointId); // a registered gauge of the same name and tags would be returned, with its old lane
        laneLimits.put(
                endpointId,
                Gauge.builder("webhook.lane.concurrency.limit", limit::getAsInt)
                        .description("The endpoint's current bound on requests in flight (adaptive)")
                        .tag("endpoint", endpointId)
                        .register(registry));
    }

    /** A lane was evicted: its gauge goes with it. */
    void laneClosed(String endpointId) {
        Gauge gauge = laneLimits.remove(endpointId);
        if (gauge != null) {
            registry.remove(gauge);
        }
    }

    void attempt(AttemptResult result, Outcome outcome) {
        attempts.record(result.latencyMs(), TimeUnit.MILLISECONDS);
        outcome(outcome);
    }

    public void ingested(int records, long nanos) {
        batchSize.record(records);
        ingest.record(nanos, TimeUnit.NANOSECONDS);
    }

    void started(DeliveryTask task) {
        laneWait.record(System.nanoTime() - task.enqueuedNanos(), TimeUnit.NANOSECONDS);
    }

    /** Binds Micrometer's Kafka client metrics (fetch latency, records per request...) for a client of ours. */
    public void bind(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(consumer).bindTo(registry);
    }

    /** Counts {@code webhook_deliveries_total{outcome=delivered|retry|dead|deferred}}. */
    void outcome(Outcome outcome) {
        String label;
        if (outcome instanceof Outcome.Delivered) {
            label = "delivered";
        } else if (outcome instanceof Outcome.Retry) {
            label = "retry";
        } else if (outcome instanceof Outcome.Dead) {
            label = "dead";
        } else {
            label = "deferred";
        }
        outcomes.computeIfAbsent(
                        label,
                        o -> Counter.builder("webhook.deliveries")
                                .description("Delivery attempts by outcome")
                                .tag("outcome", o)
                                .register(registry))
                .increment();
    }

    public void queueDepth(Map<DeliveryStatus, Long> counts) {
        depth.forEach((state, gauge) -> gauge.set(counts.getOrDefault(state, 0L)));
    }

    public void consumerLag(long value) {
        lag.set(value);
    }
}
