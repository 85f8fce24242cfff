package io.cloudnexus.gateway.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The gateway's own metrics, with bounded tags (service name and status code, never a path):
 * {@code cloudnexus_gateway_requests_total{service,status}} for every /v2 answer and
 * {@code cloudnexus_gateway_upstream_seconds{service,outcome}} for the time a service took to answer.
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
