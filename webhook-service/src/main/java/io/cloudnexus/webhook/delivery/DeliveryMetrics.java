package io.cloudnexus.webhook.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer metrics of the engine: {@code webhook_deliveries_total{outcome}}, the attempt latency
 * histogram {@code webhook_attempt_seconds}, {@code webhook_queue_depth{state}} and {@code webhook_consumer_lag}.
 */
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    private final AtomicLong lag = new AtomicLong();
    private final Timer attempts;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.attempts = Timer.builder("webhook.attempt").description("Duration of delivery attempts")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        registry.gauge("webhook.consumer.lag", lag);
        for (String state : new String[] { "pending", "retrying", "dead" }) {
            depth.put(state, registry.gauge("webhook.queue.depth", io.micrometer.core.instrument.Tags.of("state", state),
                    new AtomicLong()));
        }
    }

    void inMemory(AtomicInteger held) {
        registry.gauge("webhook.queue.depth", io.micrometer.core.instrument.Tags.of("state", "in_memory"), held);
    }

    void attempt(AttemptResult result, Outcome outcome, DeliveryTask task) {
        attempts.record(result.latencyMs(), TimeUnit.MILLISECONDS);
        outcome(outcome.status().equals("retrying") ? "retry" : outcome.status());
    }

    void outcome(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> Counter.builder("webhook.deliveries")
                .description("Delivery attempts by outcome").tag("outcome", o).register(registry)).increment();
    }

    public void queueDepth(Map<String, Long> counts) {
        depth.forEach((state, gauge) -> gauge.set(counts.getOrDefault(state, 0L)));
    }

    public void consumerLag(long value) {
        lag.set(value);
    }
}
