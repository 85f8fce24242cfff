package io.cloudnexus.eventstore.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;

/**
 * Publishes the unpublished rows of an outbox table ({@link RelaySettings#table}: a service's {@code event_store},
 * webhook-service's {@code webhook_outbox}) to Kafka, oldest sequence first, and marks them published only after
 * the broker acknowledged them (idempotent producer, {@code acks=all}). The one relay of the platform.
 *
 * <p>One thread per relay. Only the relay holding the database's advisory lock ({@link RelaySettings#lockKey})
 * works, so several replicas of a service never publish concurrently; the others wait and take over when the
 * holder's session ends. While Kafka (or the database) is unreachable, the same oldest rows are retried after
 * {@link RelaySettings#retryBackoff}, with a fresh producer each time, so order is kept and nothing is skipped.
 *
 * <p>Why a plain {@code published_at IS NULL ORDER BY global_seq} scan is enough (the "gap" problem): a
 * sequence value is taken before commit, so a slow transaction can commit a lower {@code global_seq} after a
 * higher one was published. Such a row is not lost: it is still unpublished, so the next scan picks it up. And
 * per aggregate the order holds: version n+1 can only be appended by a transaction that read version n
 * committed, so n is committed (and visible to any scan that sees n+1) and has the lower sequence number.
 * Kafka orders per key (aggregate id), which is the order consumers rely on; across aggregates a late
 * commit may appear after later-numbered events, as it would in any concurrent system.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private final DataSource dataSource;
    private final RelaySettings settings;
    private final RelayTracing tracing;
    private final String select;
    private final String mark;
    private final Semaphore wakeUp = new Semaphore(0);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong published = new AtomicLong();
    private final Thread thread;
    private Connection connection;
    private KafkaProducer<String, byte[]> producer;
    private volatile boolean active;
    private volatile boolean failing;

    public OutboxRelay(DataSource dataSource, RelaySettings settings) {
        this(dataSource, settings, null);
    }

    /**
     * @param tracer where the publish spans of traced rows go (docs/tracing.md); null: none are made, and a row's
     *     stored {@code traceparent} is still passed on in the record's header
     */
    public OutboxRelay(DataSource dataSource, RelaySettings settings, Tracer tracer) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.tracing = tracer == null ? RelayTracing.OFF : new RelayTracing(tracer);
        this.select = settings.table().selectUnpublished();
        this.mark = settings.table().markPublished();
        this.thread = new Thread(this::run, "outbox-relay-" + settings.topic());
        this.thread.setDaemon(true);
    }

    /** Starts the relay thread. */
    public OutboxRelay start() {
        thread.start();
        return this;
    }

    /** Asks the relay to look at the outbox now (called after a commit that appended events). */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    /** Whether this relay holds the database's advisory lock (is the one publishing). */
    public boolean isActive() {
        return active;
    }

    /** Whether the last round failed (Kafka or the database unreachable) and the relay is retrying. */
    public boolean isFailing() {
        return failing;
    }

    /** Events this relay published since it started. */
    public long publishedCount() {
        return published.get();
    }

    private void run() {
        while (stopped.getCount() > 0) {
            try {
                if (!becomeActive()) {
                    pause(settings.pollInterval());
                    continue;
                }
                int count = publishBatch();
                if (failing) {
                    LOG.infof("Outbox relay for %s is publishing again", settings.topic());
                    failing = false;
                }
                if (count < settings.batchSize()) {
                    pause(settings.pollInterval());
                }
            } catch (SQLException e) {
                failed("the database", e);
                releaseConnection();
            } catch (RuntimeException e) {
                failed("Kafka", e);
                closeProducer();
            }
        }
        closeProducer();
        releaseConnection();
    }

    /** One round: read the oldest unpublished rows, send them in order, mark the acknowledged prefix. */
    int publishBatch() throws SQLException {
        List<OutboxRecords.Row> rows = unpublished();
        if (rows.isEmpty()) {
            return 0;
        }
        KafkaProducer<String, byte[]> kafka = producer();
        List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
        Span[] spans = null; // only with a tracer
        for (OutboxRecords.Row row : rows) {
            Span span = tracing.start(settings.topic(), row);
            if (span != null) {
                if (spans == null) {
                    spans = new Span[rows.size()];
                }
                spans[sends.size()] = span;
            }
            Future<RecordMetadata> send = kafka.send(
                    OutboxRecords.toRecord(settings.topic(), settings.source(), row, RelayTracing.header(span, row)));
            sends.add(send);
            if (send.isDone() && failure(send) != null) {
                break; // e.g. no metadata within max.block.ms: do not wait that long for every row
            }
        }
        kafka.flush();
        List<Long> acknowledged = new ArrayList<>(sends.size());
        Throwable failure = null;
        for (int i = 0; i < sends.size() && failure == null; i++) {
            failure = failure(sends.get(i));
            if (failure == null) {
                acknowledged.add(rows.get(i).globalSeq());
            }
        }
        if (spans != null) {
            for (int i = 0; i < sends.size(); i++) {
                RelayTracing.end(spans[i], failure(sends.get(i)));
            }
        }
        markPublished(acknowledged);
        if (failure != null) {
            throw new IllegalStateException("Kafka refused or timed out: " + failure, failure);
        }
        return rows.size();
    }

    private List<OutboxRecords.Row> unpublished() throws SQLException {
        List<OutboxRecords.Row> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(select)) {
            ps.setInt(1, settings.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxRecords.Row(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getTimestamp(7).toInstant(),
                            rs.getString(8)));
                }
            }
        }
        return rows;
    }

    private void markPublished(List<Long> seqs) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(mark)) {
            ps.setArray(1, connection.createArrayOf("bigint", seqs.toArray()));
            ps.executeUpdate();
        }
        published.addAndGet(seqs.size());
    }

    private static Throwable failure(Future<RecordMetadata> send) {
        try {
            send.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** Holds (or takes) the advisory lock on a dedicated connection; false if another relay holds it. */
    private boolean becomeActive() throws SQLException {
        if (connection != null) {
            return true;
        }
        Connection c = dataSource.getConnection();
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)");
                Statement session = c.createStatement()) {
            c.setAutoCommit(true);
            // Marking rows published need not wait for the WAL flush: if the database crashes before it,
            // the rows are unpublished again and re-sent (at least once; consumers deduplicate on the id).
            // This keeps the relay's commits from competing with the appends' durable commits.
            session.execute("SET synchronous_commit = off");
            ps.setLong(1, settings.lockKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    connection = c;
                    active = true;
                    LOG.infof(
                            "Outbox relay of %s for %s is active (advisory lock %d)",
                            settings.table().name(), settings.topic(), settings.lockKey());
                    return true;
                }
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        c.close();
        return false;
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = OutboxProducers.create(settings);
        }
        return producer;
    }

    private void failed(String what, Exception e) {
        if (!failing) {
            LOG.warnf(
                    "Outbox relay for %s cannot reach %s; retrying every %s: %s",
                    settings.topic(), what, settings.retryBackoff(), e.toString());
        } else {
            LOG.debugf(e, "Outbox relay for %s still failing", settings.topic());
        }
        failing = true;
        sleep(settings.retryBackoff());
    }

    private void pause(Duration duration) {
        try {
            if (wakeUp.tryAcquire(duration.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUp.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
        }
    }

    private void sleep(Duration duration) {
        try {
            stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
        }
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("Closing the outbox producer failed", e);
            }
            producer = null;
        }
    }

    /** Gives the lock back before the connection returns to a pool; a broken session is aborted instead. */
    private void releaseConnection() {
        active = false;
        if (connection == null) {
            return;
        }
        Connection c = connection;
        connection = null;
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_unlock_all()");
            s.execute("RESET synchronous_commit");
            c.close();
        } catch (SQLException e) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // the session is gone, and with it the lock
            }
        }
    }

    /** Stops the thread (finishing the current round), closes the producer and releases the lock. */
    @Override
    public void close() {
        stopped.countDown();
        wake();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
