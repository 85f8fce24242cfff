package io.cloudnexus.webhook.delivery;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.repository.OutcomeRepository;

/**
 * Persists attempt outcomes in batches on its own thread (one transaction per batch). Until an outcome is
 * written its delivery stays leased: if the process dies first, the lease expires and the delivery is
 * attempted again (at-least-once).
 */
@ApplicationScoped
public class ResultWriter {

    private static final Logger LOG = Logger.getLogger(ResultWriter.class);
    private static final int MAX_BATCH = 5000;

    private final LinkedBlockingQueue<Outcome> queue = new LinkedBlockingQueue<>();
    private final OutcomeRepository repository;
    private final EndpointIndex index;
    private final WebhookConfig config;
    private volatile boolean running;
    private Thread thread;

    public ResultWriter(OutcomeRepository repository, EndpointIndex index, WebhookConfig config) {
        this.repository = repository;
        this.index = index;
        this.config = config;
    }

    public void add(Outcome outcome) {
        queue.add(outcome);
    }

    public int backlog() {
        return queue.size();
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "webhook-result-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after writing what is queued. */
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long flushMillis = Math.max(1, config.scheduler().flushInterval().toMillis());
        List<Outcome> batch = new ArrayList<>();
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Outcome first = queue.poll(flushMillis, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                if (!running && queue.isEmpty() && batch.isEmpty()) {
                    return;
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("writing %d delivery outcomes failed, retrying: %s", batch.size(), e.getMessage());
                sleep(500);
                if (!running) {
                    return; // leases expire; the deliveries are attempted again after a restart
                }
            }
        }
    }

    private void write(List<Outcome> batch) throws SQLException {
        List<String> disabled = repository.write(batch, config.failureWindow());
        for (String endpointId : disabled) {
            LOG.infof("endpoint %s disabled", endpointId);
            index.reload(endpointId);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
