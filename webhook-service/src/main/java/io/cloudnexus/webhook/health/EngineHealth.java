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
import io.cloudnexus.webhook.delivery.ResultWriter;
import io.cloudnexus.webhook.events.EventConsumer;

/**
 * What the engine's health checks evaluate. Liveness (restarting helps): the result writer's thread is alive and
 * not stuck inside a write, no periodic job is stuck or has stopped running. Readiness (send no traffic / wait): the
 * writer's backlog is below {@code health.writer-backlog-threshold}, its writes are not failing for longer than
 * {@code health.stall-timeout}, the event consumer hands records to the engine, and the endpoint index has loaded.
 * The Kafka consumer itself (broker, partitions, a failed channel) is checked by the SmallRye Kafka connector's own
 * readiness and liveness checks. Endpoints the index had to skip are listed in the details without making it DOWN.
 */
@ApplicationScoped
public class EngineHealth {

    private final WebhookConfig config;
    private final ResultWriter writer;
    private final EndpointIndex index;
    private final JobMonitor jobs;
    private final EventConsumer consumer;

    public EngineHealth(
            WebhookConfig config, ResultWriter writer, EndpointIndex index, JobMonitor jobs, EventConsumer consumer) {
        this.config = config;
        this.writer = writer;
        this.index = index;
        this.jobs = jobs;
        this.consumer = consumer;
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
            // the Kafka side (broker reachable, partitions assigned, channel not failed) is the connector's own check
            boolean consuming = consumer.isRunning();
            b.withData("consumer", consuming ? "running" : "stopped");
            if (!consuming) {
                problems.add("the event consumer is stopped");
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
