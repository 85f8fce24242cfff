package io.cloudnexus.webhook.stream;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.health.JobMonitor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the stream feed, the delivery frames' publisher and listener, the heartbeats and the presence refresh
 * with the application; at a clean stop tells every client to reconnect (1001) and forgets this replica's
 * connections.
 */
@ApplicationScoped
public class StreamLifecycle {

    private final WebhookConfig config;
    private final StreamFeed feed;
    private final DeliveryFrames frames;
    private final StreamHub hub;
    private final StreamService service;
    private final JobMonitor monitor;
    private ScheduledExecutorService jobs;

    public StreamLifecycle(
            WebhookConfig config,
            StreamFeed feed,
            DeliveryFrames frames,
            StreamHub hub,
            StreamService service,
            JobMonitor monitor) {
        this.config = config;
        this.feed = feed;
        this.frames = frames;
        this.hub = hub;
        this.service = service;
        this.monitor = monitor;
    }

    void start(@Observes StartupEvent event) {
        if (!config.stream().enabled()) {
            return;
        }
        feed.start();
        frames.start();
        jobs = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-stream-jobs");
            t.setDaemon(true);
            return t;
        });
        long heartbeat = Math.max(1, config.stream().heartbeat().toMillis());
        jobs.scheduleWithFixedDelay(
                monitor.guard("stream-heartbeat", java.time.Duration.ofMillis(heartbeat * 2), this::heartbeat),
                heartbeat,
                heartbeat,
                TimeUnit.MILLISECONDS);
        long presence = Math.max(1, config.stream().presenceRefresh().toMillis());
        jobs.scheduleWithFixedDelay(
                monitor.guard("stream-presence", java.time.Duration.ofMillis(presence * 3), frames::refreshPresence),
                0,
                presence,
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (jobs == null) {
            return;
        }
        jobs.shutdownNow();
        service.shutdown();
        frames.stop();
        feed.stop();
    }

    private void heartbeat() {
        Frame frame = Frame.heartbeat(Instant.now());
        for (StreamSession s : hub.sessions()) {
            if (!s.holding()) {
                s.offer(frame);
            }
        }
    }
}
