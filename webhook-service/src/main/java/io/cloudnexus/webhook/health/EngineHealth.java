package io.cloudnexus.webhook.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.EndpointIndex;
import io.cloudnexus.webhook.delivery.EngineIdentity;
import io.cloudnexus.webhook.delivery.ResultWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the engine's health checks evaluate. Liveness (restarting helps): the result writer's and the Kafka
 * consumer's threads are alive, the writer is not stuck inside a write, no periodic job is stuck or has stopped
 * running. Readiness (send no traffic / wait): the writer's backlog is below {@code health.writer-backlog-threshold},
 * its writes are not failing for longer than {@code health.stall-timeout}, the consumer polled recently, and the
 * endpoint index has loaded. Endpoints the index had to skip are listed in the details without making it DOWN.
 */
@ApplicationScoped
public class EngineHealth {

    static final String CONSUMER_THREAD = "webhook-event-consumer";
    private static final String LAST_POLL = "kafka.consumer.last.poll.seconds.ago";

    private final WebhookConfig config;
    private final ResultWriter writer;
    private final EndpointIndex index;
    private final JobMonitor jobs;
    private final MeterRegistry registry;
    private final EngineIdentity identity;

    public EngineHealth(
            WebhookConfig config,
            ResultWriter writer,
            EndpointIndex index,
            JobMonitor jobs,
            MeterRegistry registry,
            EngineIdentity identity) {
        this.config = config;
        this.writer = writer;
        this.index = index;
        this.jobs = jobs;
        this.registry = registry;
        this.identity = identity;
    }

    HealthCheckResponse liveness() {
        long now = System.nanoTime();
        Duration stall = config.health().stallTimeout();
        List<String> problems = new ArrayList<>();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("webhook engine threads");
        boolean writerAlive = writer.threadAlive();
        b.withData("result_writer_thread", writerAlive ? "alive" : "not running");
        if (!writerAlive) {
            problems.add("the result writer thread is not running");
        } else if (writer.backlog() > 0
                && writer.failingSinceNanos() == 0
                && now - writer.lastProgressNanos() > stall.toNanos()) {
            problems.add("the result writer has been stuck in one write for "
                    + seconds(now - writer.lastProgressNanos()) + " s");
        }
        if (config.consumer().enabled()) {
            boolean consumerAlive = threadAlive(CONSUMER_THREAD);
            b.withData("consumer_thread", consumerAlive ? "alive" : "not running");
            if (!consumerAlive) {
                problems.add("the Kafka consumer thread is not running");
            }
        }
        for (JobMonitor.Job job : jobs.jobs()) {
            String problem = job.problem(now, stall);
            b.withData("job_" + job.name(), problem == null ? "ok" : problem);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return finish(b, problems);
    }

    HealthCheckResponse readiness() {
        long now = System.nanoTime();
        Duration stall = config.health().stallTimeout();
        List<String> problems = new ArrayList<>();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("webhook engine progress");
        int backlog = writer.backlog();
        b.withData("writer_backlog", backlog);
        if (backlog > config.health().writerBacklogThreshold()) {
            problems.add("result writer backlog " + backlog + " above "
                    + config.health().writerBacklogThreshold());
        }
        long failingSince = writer.failingSinceNanos();
        if (failingSince != 0 && now - failingSince > stall.toNanos()) {
            problems.add(
                    "writing outcomes has failed for " + seconds(now - failingSince) + " s: " + writer.lastError());
        }
        if (config.consumer().enabled()) {
            Double lastPoll = lastPollSecondsAgo();
            b.withData(
                    "consumer_last_poll_seconds_ago",
                    lastPoll == null ? "unknown" : String.valueOf(Math.round(lastPoll)));
            if (!threadAlive(CONSUMER_THREAD)) {
                problems.add("the Kafka consumer is not running");
            } else if (lastPoll != null && lastPoll > stall.toSeconds()) {
                problems.add("the Kafka consumer has not polled for " + Math.round(lastPoll) + " s");
            }
        }
        Instant loaded = index.lastFullReload();
        b.withData("endpoint_index_size", index.size());
        b.withData("endpoint_index_loaded_at", loaded == null ? "never" : loaded.toString());
        b.withData("endpoint_index_listening", index.listening());
        if (loaded == null) {
            problems.add("the endpoint index has not loaded");
        }
        Map<String, String> skipped = index.skipped();
        b.withData("endpoint_index_skipped", skipped.size());
        if (!skipped.isEmpty()) {
            b.withData(
                    "endpoint_index_skipped_ids",
                    String.join(
                            ",", skipped.keySet().stream().sorted().limit(20).toList()));
        }
        return finish(b, problems);
    }

    private Double lastPollSecondsAgo() {
        String clientId = "webhook-service-" + identity.owner();
        Double worst = null;
        for (Gauge g : registry.find(LAST_POLL).gauges()) {
            String id = g.getId().getTag("client.id");
            if (id != null && !id.equals(clientId)) {
                continue;
            }
            double v = g.value();
            if (!Double.isNaN(v) && (worst == null || v > worst)) {
                worst = v;
            }
        }
        return worst;
    }

    private static boolean threadAlive(String name) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            if (name.equals(threads[i].getName()) && threads[i].isAlive()) {
                return true;
            }
        }
        return false;
    }

    private static HealthCheckResponse finish(HealthCheckResponseBuilder b, List<String> problems) {
        if (!problems.isEmpty()) {
            b.withData("reason", String.join("; ", problems));
        }
        return b.status(problems.isEmpty()).build();
    }

    private static long seconds(long nanos) {
        return nanos / 1_000_000_000L;
    }
}
