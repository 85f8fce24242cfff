package io.cloudnexus.webhook.stream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.DeliveryUpdate;
import io.cloudnexus.webhook.delivery.EndpointIndex;
import io.cloudnexus.webhook.delivery.EndpointRoute;
import io.cloudnexus.webhook.delivery.Outcome;
import io.cloudnexus.webhook.repository.StreamRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Delivery frames ({@code {"type":"delivery",...}}) for the streams of every replica. The result writer hands
 * over each batch it has committed ({@link #recorded}); the deliveries of accounts that have a stream open on any
 * replica (re-read every {@code stream.presence-refresh}) become frames, published with PostgreSQL
 * {@code NOTIFY webhook_stream_delivery} (lines of {@code account \t event type \t frame}, at most ~7 KB per
 * notification) by a publisher thread, and every replica's listener hands them to its hub. They are live
 * updates for dashboards, not a durable record (the deliveries API is): when the publisher falls behind, frames
 * are dropped and counted, never the result writer slowed.
 */
@ApplicationScoped
public class DeliveryFrames {

    private static final Logger LOG = Logger.getLogger(DeliveryFrames.class);
    static final String CHANNEL = "webhook_stream_delivery";
    private static final int MAX_PAYLOAD = 7000;

    private record Pending(String accountId, String eventType, String json) {}

    private final DataSource dataSource;
    private final StreamRepository repository;
    private final EndpointIndex index;
    private final StreamHub hub;
    private final WebhookConfig config;
    private final ObjectMapper json;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(10_000);
    private final Counter dropped;
    private volatile Set<String> present = Set.of();
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();

    public DeliveryFrames(
            DataSource dataSource,
            StreamRepository repository,
            EndpointIndex index,
            StreamHub hub,
            WebhookConfig config,
            ObjectMapper json,
            MeterRegistry registry) {
        this.dataSource = dataSource;
        this.repository = repository;
        this.index = index;
        this.hub = hub;
        this.config = config;
        this.json = json;
        this.dropped = Counter.builder("webhook.stream.delivery.frames.dropped")
                .description("Delivery frames dropped because their publisher fell behind")
                .register(registry);
    }

    /** A batch of outcomes is committed (called by the result writer, on its thread: never blocks). */
    public void recorded(List<DeliveryUpdate> batch) {
        // the accounts with a stream on any replica (re-read every presence-refresh) or on this one (at once)
        Set<String> accounts = present;
        if ((accounts.isEmpty() && !hub.anyLocal()) || !running) {
            return;
        }
        for (DeliveryUpdate update : batch) {
            if (update.outcome() instanceof Outcome.Deferred || update.attempt() == null) {
                continue;
            }
            EndpointRoute route = index.get(update.task().endpointId());
            if (route == null || !(accounts.contains(route.accountId()) || hub.hasLocal(route.accountId()))) {
                continue;
            }
            if (!queue.offer(new Pending(route.accountId(), update.task().eventType(), frame(update)))) {
                dropped.increment();
            }
        }
    }

    private String frame(DeliveryUpdate update) {
        ObjectNode node = json.createObjectNode();
        node.put("type", "delivery");
        node.put("delivery_id", update.task().publicId());
        node.put("endpoint_id", update.task().endpointId());
        node.put("event_id", update.task().eventId());
        node.put("event", update.task().eventType());
        node.put("status", update.status().db());
        node.put("attempt", update.task().attempts() + 1);
        if (update.attempt().statusCode() > 0) {
            node.put("status_code", update.attempt().statusCode());
        } else {
            node.putNull("status_code");
        }
        node.put("latency_ms", update.attempt().latencyMs());
        if (update.attempt().errorClass() != null) {
            node.put("error_class", update.attempt().errorClass());
        }
        if (update.nextAttemptAt() != null) {
            node.put(
                    "next_attempt_at",
                    update.nextAttemptAt().truncatedTo(ChronoUnit.MILLIS).toString());
        }
        node.put(
                "timestamp",
                update.attempt().at().truncatedTo(ChronoUnit.MILLIS).toString());
        return node.toString();
    }

    public synchronized void start() {
        running = true;
        threads.add(thread("webhook-stream-delivery-publisher", this::publish));
        threads.add(thread("webhook-stream-delivery-listener", this::listen));
    }

    public synchronized void stop() {
        running = false;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    /** Re-reads the accounts with open streams anywhere (scheduled by the stream lifecycle). */
    public void refreshPresence() {
        try {
            present =
                    Set.copyOf(repository.accountsWithStreams(config.scheduler().deadAfter()));
        } catch (SQLException e) {
            LOG.debugf("reading the accounts with streams failed: %s", e.getMessage());
        }
    }

    private Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void publish() {
        List<Pending> batch = new ArrayList<>();
        while (running) {
            try {
                Pending first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 999);
                notify(batch);
                batch.clear();
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                dropped.increment(batch.size());
                batch.clear();
                LOG.debugf("publishing delivery frames failed: %s", e.getMessage());
            }
        }
    }

    private void notify(List<Pending> batch) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
            StringBuilder payload = new StringBuilder();
            for (Pending p : batch) {
                String line = p.accountId() + '\t' + p.eventType() + '\t' + p.json();
                if (line.length() > MAX_PAYLOAD) {
                    continue;
                }
                if (payload.length() + line.length() + 1 > MAX_PAYLOAD) {
                    ps.setString(1, payload.toString());
                    ps.execute();
                    payload.setLength(0);
                }
                if (payload.length() > 0) {
                    payload.append('\n');
                }
                payload.append(line);
            }
            if (payload.length() > 0) {
                ps.setString(1, payload.toString());
                ps.execute();
            }
        }
    }

    private void listen() {
        long backoff = 200;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                backoff = 200;
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification n : notifications) {
                        for (String line : n.getParameter().split("\n")) {
                            String[] parts = line.split("\t", 3);
                            if (parts.length == 3) {
                                hub.publishDelivery(parts[0], parts[1], parts[2]);
                            }
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.debugf("delivery frame listener lost its connection, reconnecting: %s", e.getMessage());
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, 10_000);
        }
    }
}
