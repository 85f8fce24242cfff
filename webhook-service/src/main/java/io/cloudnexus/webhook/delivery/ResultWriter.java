package io.cloudnexus.webhook.delivery;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.repository.OutcomeRepository;
import io.cloudnexus.webhook.stream.DeliveryFrames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Persists attempt outcomes in batches on its own thread (one transaction per batch). Until an outcome is
 * written its delivery stays leased: the {@link LeaseKeeper} renews the leases of {@link #unwrittenIds()} as it
 * does those of the deliveries the dispatcher holds, so a writer that lags behind (a full queue, a slow disk)
 * never lets a sent delivery's lease expire and the delivery be claimed and sent again. If the process dies
 * first, the lease expires and the delivery is attempted again (at-least-once).
 *
 * <p>One bad row never wedges the writer: a batch that fails with a non-transient error (a data error,
 * SQLState class 22 or 23, or anything that is not a lost connection, a shutdown, a lock or resource
 * problem) is split in halves until the failing outcome is alone; the rest commits. The lone outcome is
 * <em>parked</em>: written again without its free-text fields (response excerpt replaced by a marker, error
 * class reduced to a plain token) and recorded in {@code webhook_parked_outcome}; if even that is refused, its
 * delivery is moved to the dead-letter queue with the database's complaint as {@code last_error} (replayable,
 * never silently lost nor leased forever). A transient failure (database down: SQLState class 08, 57P01...)
 * retries the same chunk with exponential backoff, without splitting; the chunks already committed are not
 * written twice.
 *
 * <p>The queue is bounded ({@code writer.capacity}); when it is full {@link #add} waits for room instead of
 * dropping the outcome.
 */
@ApplicationScoped
public class ResultWriter {

    private static final Logger LOG = Logger.getLogger(ResultWriter.class);
    static final String UNSTORED_EXCERPT = "[not stored: the database refused this attempt's text]";

    /** Where outcomes go (the repository; a test can put something failing in front of it). */
    interface Sink {
        /** Writes the batch in one transaction; returns the endpoints it disabled. */
        List<String> write(List<DeliveryUpdate> batch) throws SQLException;

        /** Records that the outcome was parked. */
        void parked(DeliveryUpdate outcome, String error, String resolution) throws SQLException;

        /** Dead-letters the outcome's delivery with {@code error} as its last error, and records it as parked. */
        void deadLetter(DeliveryUpdate outcome, String error) throws SQLException;
    }

    private final LinkedBlockingQueue<DeliveryUpdate> queue;
    /** Deliveries whose outcome is queued or being written, not yet committed (their leases are renewed). */
    private final Set<Long> unwritten = ConcurrentHashMap.newKeySet();

    private final Sink sink;
    /** Told of every committed batch (the streams' delivery frames); must not block. */
    private final Consumer<List<DeliveryUpdate>> recorded;

    private final EndpointIndex index;
    private final WebhookConfig config;
    private final Counter parked;
    private final Counter waits;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile long failingSinceNanos;
    private volatile String lastError;
    private final AtomicLong splits = new AtomicLong();
    private volatile long lastFullWarning;

    @Inject
    public ResultWriter(
            OutcomeRepository repository,
            EndpointIndex index,
            WebhookConfig config,
            MeterRegistry registry,
            DeliveryFrames frames) {
        this(
                new Sink() {
                    @Override
                    public List<String> write(List<DeliveryUpdate> batch) throws SQLException {
                        return repository.write(
                                batch, config.failureWindow(), config.writer().synchronousCommit());
                    }

                    @Override
                    public void parked(DeliveryUpdate outcome, String error, String resolution) throws SQLException {
                        repository.recordParked(outcome, error, resolution);
                    }

                    @Override
                    public void deadLetter(DeliveryUpdate outcome, String error) throws SQLException {
                        repository.deadLetterUnrecordable(outcome, error);
                    }
                },
                index,
                config,
                registry,
                frames::recorded);
    }

    ResultWriter(Sink sink, EndpointIndex index, WebhookConfig config, MeterRegistry registry) {
        this(sink, index, config, registry, batch -> {});
    }

    ResultWriter(
            Sink sink,
            EndpointIndex index,
            WebhookConfig config,
            MeterRegistry registry,
            Consumer<List<DeliveryUpdate>> recorded) {
        this.sink = sink;
        this.recorded = recorded;
        this.index = index;
        this.config = config;
        this.queue = new LinkedBlockingQueue<>(Math.max(1, config.writer().capacity()));
        this.parked = Counter.builder("webhook.writer.parked")
                .description("Outcomes the database refused, parked")
                .register(registry);
        this.waits = Counter.builder("webhook.writer.full")
                .description("Times an outcome waited for room in the writer queue")
                .register(registry);
        registry.gauge("webhook.writer.backlog", queue, LinkedBlockingQueue::size);
    }

    /** Queues an outcome; when the queue is full, waits for room (never drops while the writer runs). */
    public void add(DeliveryUpdate outcome) {
        unwritten.add(outcome.task().id());
        if (queue.offer(outcome)) {
            return;
        }
        waits.increment();
        try {
            while (!queue.offer(outcome, 100, TimeUnit.MILLISECONDS)) {
                if (!running || !threadAlive()) {
                    unwritten.remove(outcome.task().id());
                    LOG.warnf(
                            "result writer not running: the outcome of delivery %d is not written (its lease expires "
                                    + "and it is attempted again)",
                            outcome.task().id());
                    return;
                }
                long now = System.currentTimeMillis();
                if (now - lastFullWarning > 10_000) {
                    lastFullWarning = now;
                    LOG.warnf("result writer queue full (%d outcomes): recording outcomes waits", queue.size());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unwritten.remove(outcome.task().id());
            LOG.warnf(
                    "interrupted while waiting for room in the result writer: delivery %d is attempted again once "
                            + "its lease expires",
                    outcome.task().id());
        }
    }

    public int backlog() {
        return queue.size();
    }

    public int capacity() {
        return queue.size() + queue.remainingCapacity();
    }

    public synchronized void start() {
        running = true;
        lastProgressNanos = System.nanoTime();
        Thread t = new Thread(this::run, "webhook-result-writer");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** The deliveries whose outcome is not committed yet: their leases must be kept. */
    public List<Long> unwrittenIds() {
        return new ArrayList<>(unwritten);
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

    /** Whether the writer thread was started and is alive (health). */
    public boolean threadAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Whether {@link #start()} was called and {@link #stop()} was not. */
    public boolean running() {
        return running;
    }

    /** System.nanoTime() of the last completed write, or of the last idle wait with nothing to write. */
    public long lastProgressNanos() {
        return lastProgressNanos;
    }

    /** System.nanoTime() since which writes fail transiently, or 0 when the last write worked. */
    public long failingSinceNanos() {
        return failingSinceNanos;
    }

    /** The last transient failure (sanitised), for health details. */
    public String lastError() {
        return lastError;
    }

    long splits() {
        return splits.get();
    }

    private void run() {
        long flushMillis = Math.max(1, config.scheduler().flushInterval().toMillis());
        long minBackoff = Math.max(1, config.writer().retryBackoff().toMillis());
        long maxBackoff = Math.max(minBackoff, config.writer().retryBackoffMax().toMillis());
        int maxBatch = Math.max(1, config.writer().maxBatch());
        long backoff = minBackoff;
        Deque<List<DeliveryUpdate>> pending = new ArrayDeque<>();
        while (running || !queue.isEmpty() || !pending.isEmpty()) {
            try {
                if (pending.isEmpty()) {
                    DeliveryUpdate first = queue.poll(flushMillis, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        lastProgressNanos = System.nanoTime();
                        continue;
                    }
                    List<DeliveryUpdate> batch = new ArrayList<>();
                    batch.add(first);
                    queue.drainTo(batch, maxBatch - 1);
                    pending.add(batch);
                }
                step(pending);
                backoff = minBackoff;
                failingSinceNanos = 0;
                lastProgressNanos = System.nanoTime();
            } catch (InterruptedException e) {
                if (!running && queue.isEmpty() && pending.isEmpty()) {
                    return;
                }
            } catch (SQLException | RuntimeException e) { // transient: step rethrows nothing else
                if (failingSinceNanos == 0) {
                    failingSinceNanos = System.nanoTime();
                }
                lastError = EndpointIndex.sanitize(e.getMessage());
                int waiting = pending.stream().mapToInt(List::size).sum();
                LOG.warnf(
                        "writing %d delivery outcomes failed (transient, retrying in %d ms): %s",
                        waiting, backoff, lastError);
                if (!running) {
                    return; // leases expire; the deliveries are attempted again after a restart
                }
                sleep(backoff);
                backoff = Math.min(backoff * 2, maxBackoff);
            }
        }
    }

    /** Writes the first pending chunk; splits or parks it on a non-transient failure; rethrows transient ones. */
    private void step(Deque<List<DeliveryUpdate>> pending) throws SQLException {
        List<DeliveryUpdate> chunk = pending.peekFirst();
        try {
            afterWrite(sink.write(chunk));
            pending.removeFirst();
            written(chunk);
            tellRecorded(chunk);
            return;
        } catch (SQLException | RuntimeException e) {
            if (isTransient(e)) {
                throw e;
            }
            pending.removeFirst();
            if (chunk.size() > 1) {
                int mid = chunk.size() / 2;
                pending.addFirst(new ArrayList<>(chunk.subList(mid, chunk.size())));
                pending.addFirst(new ArrayList<>(chunk.subList(0, mid)));
                splits.incrementAndGet();
                LOG.debugf("a batch of %d outcomes was refused (%s): splitting it", chunk.size(), state(e));
                return;
            }
            DeliveryUpdate bad = chunk.get(0);
            try {
                park(bad, e);
                written(chunk);
            } catch (SQLException | RuntimeException pe) {
                if (isTransient(pe)) {
                    pending.addFirst(chunk);
                    throw pe;
                }
                written(chunk); // not renewed any more: its lease expires and it is attempted again
                LOG.errorf(
                        "the outcome of delivery %d cannot be recorded nor parked (%s); it stays leased until its lease "
                                + "expires and is then attempted again",
                        bad.task().id(), EndpointIndex.sanitize(pe.getMessage()));
            }
        }
    }

    private void written(List<DeliveryUpdate> chunk) {
        for (DeliveryUpdate update : chunk) {
            unwritten.remove(update.task().id());
        }
    }

    private void tellRecorded(List<DeliveryUpdate> chunk) {
        try {
            recorded.accept(chunk);
        } catch (RuntimeException e) {
            LOG.debugf("a listener of recorded outcomes failed: %s", e.getMessage());
        }
    }

    private void park(DeliveryUpdate bad, Exception cause) throws SQLException {
        String error = EndpointIndex.sanitize(state(cause) + " " + cause.getMessage());
        parked.increment();
        DeliveryUpdate stripped = withoutText(bad);
        if (stripped != null) {
            try {
                afterWrite(sink.write(List.of(stripped)));
                LOG.warnf(
                        "the outcome of delivery %d was refused by the database (%s); recorded without its response "
                                + "excerpt and error text",
                        bad.task().id(), error);
                try {
                    sink.parked(bad, error, "recorded_without_text");
                } catch (SQLException | RuntimeException e) {
                    LOG.warnf(
                            "recording parked outcome of delivery %d failed: %s",
                            bad.task().id(), EndpointIndex.sanitize(e.getMessage()));
                }
                return;
            } catch (SQLException | RuntimeException e) {
                if (isTransient(e)) {
                    throw e;
                }
                error = EndpointIndex.sanitize(state(e) + " " + e.getMessage());
            }
        }
        sink.deadLetter(bad, error);
        LOG.errorf(
                "the outcome of delivery %d cannot be recorded (%s): delivery moved to the dead-letter queue",
                bad.task().id(), error);
    }

    /** The outcome without its free-text fields, or null if it has none to remove. */
    static DeliveryUpdate withoutText(DeliveryUpdate o) {
        AttemptResult r = o.attempt();
        if (r == null) {
            return null;
        }
        String errorClass = r.errorClass() == null
                ? null
                : r.errorClass().matches("[a-z_]{1,40}") ? r.errorClass() : "unrecordable";
        AttemptResult plain =
                new AttemptResult(r.at(), r.statusCode(), r.latencyMs(), errorClass, UNSTORED_EXCERPT, null);
        return new DeliveryUpdate(o.task(), plain, o.outcome());
    }

    private void afterWrite(List<String> disabled) {
        for (String endpointId : disabled) {
            LOG.infof("endpoint %s disabled", endpointId);
            if (index != null) {
                try {
                    index.reload(endpointId);
                } catch (RuntimeException e) {
                    LOG.warnf("reloading disabled endpoint %s failed: %s", endpointId, e.getMessage());
                }
            }
        }
    }

    /**
     * Transient = worth retrying the same statement later: lost or refused connections (class 08), transaction
     * rollbacks such as deadlocks (40), insufficient resources (53), operator intervention / shutdown (57),
     * system errors (58), lock not available (55P03), a read-only standby after a failover (25006), and
     * failures without a SQLState (e.g. no pooled connection in time). Everything else (data errors in class
     * 22, constraint violations in 23, ...) is a property of the rows: the batch is split instead.
     */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state == null || state.length() < 2) {
                    return true;
                }
                String cls = state.substring(0, 2);
                return cls.equals("08")
                        || cls.equals("40")
                        || cls.equals("53")
                        || cls.equals("57")
                        || cls.equals("58")
                        || state.equals("55P03")
                        || state.equals("25006");
            }
            if (t == t.getCause()) {
                break;
            }
        }
        return false;
    }

    private static String state(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return "SQLState " + s.getSQLState();
            }
            if (t == t.getCause()) {
                break;
            }
        }
        return e.getClass().getSimpleName();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
