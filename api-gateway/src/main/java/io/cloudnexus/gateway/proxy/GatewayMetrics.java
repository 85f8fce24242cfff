package io.cloudnexus.gateway.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The gateway's own metrics, with bounded tags (service name and status code, never a path):
 * {@code cloudnexus_gateway_requests_total{service,status}} for every /v2 answer and
 * {@code cloudnexus_gateway_upstream_seconds{service,outcome}} for the time a service took to answer,
 * and the gauge {@code cloudnexus_gateway_streams_open{kind}} of the streams (websocket, sse) this replica
 * holds open.
 */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> upstream = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void answered(String service, int status) {
        requests.computeIfAbsent(
                        service + '|' + status,
                        k -> Counter.builder("cloudnexus.gateway.requests")
                                .description("Answers of the /v2 API by service and status")
                                .tag("service", service)
                                .tag("status", Integer.toString(status))
                                .register(registry))
                .increment();
    }

    /** Registers the gauge of open streams of one kind ({@code websocket}, {@code sse}). */
    public void openStreams(String kind, Supplier<Number> count) {
        Gauge.builder("cloudnexus.gateway.streams.open", count)
                .description("Event streams this replica holds open, by kind")
                .tag("kind", kind)
                .register(registry);
    }

    public void upstream(String service, String outcome, long nanos) {
        upstream.computeIfAbsent(
                        service + '|' + outcome,
                        k -> Timer.builder("cloudnexus.gateway.upstream")
                                .description("Time a service took to answer the gateway")
                                .tag("service", service)
                                .tag("outcome", outcome)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
