package io.cloudnexus.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudnexus.webhook.config.Configs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The writer's failure handling against a sink that behaves like the database: a data error in one row splits
 * the batch and parks that row while the rest is written; a transient error retries the same batch, unsplit;
 * a full queue makes {@code add} wait instead of dropping.
 */
class ResultWriterSplitTest {

    private final List<ResultWriter> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(ResultWriter::stop);
    }

    /** Records what reaches it; refuses any batch holding an outcome whose excerpt is "poison" (SQLState 22P05). */
    static class FakeDatabase implements ResultWriter.Sink {
        final List<Long> written = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        final List<String> parked = Collections.synchronizedList(new ArrayList<>());
        final List<Long> deadLettered = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger transientFailures = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public List<String> write(List<DeliveryUpdate> batch) throws SQLException {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            batchSizes.add(batch.size());
            if (transientFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
            }
            for (DeliveryUpdate o : batch) {
                if (o.attempt() != null && "poison".equals(o.attempt().excerpt())) {
                    throw new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
                }
                if (o.nextAttemptAt() != null && o.nextAttemptAt().equals(Instant.MAX)) {
                    throw new SQLException("timestamp out of range", "22008");
                }
            }
            batch.forEach(o -> written.add(o.task().id()));
            return List.of();
        }

        @Override
        public void parked(DeliveryUpdate outcome, String error, String resolution) {
            parked.add(outcome.task().id() + ":" + resolution + ":" + error);
        }

        @Override
        public void deadLetter(DeliveryUpdate outcome, String error) {
            deadLettered.add(outcome.task().id());
        }
    }

    private ResultWriter writer(FakeDatabase db, String... config) {
        List<String> kv = new ArrayList<>(List.of(
                "cloudnexus.webhooks.writer.retry-backoff",
                "5ms",
                "cloudnexus.webhooks.writer.retry-backoff-max",
                "20ms",
                "cloudnexus.webhooks.scheduler.flush-interval",
                "200ms"));
        kv.addAll(List.of(config));
        ResultWriter writer =
                new ResultWriter(db, null, Configs.webhookConfig(kv.toArray(String[]::new)), new SimpleMeterRegistry());
        started.add(writer);
        return writer;
    }

    static DeliveryUpdate outcome(long id, String excerpt) {
        DeliveryTask task = new DeliveryTask(
                id, "evt_" + id, "server.created", "whk_x", new byte[0], 0, 0, System.nanoTime(), "test-owner");
        return new DeliveryUpdate(
                task, new AttemptResult(Instant.now(), 200, 5, null, excerpt, null), new Outcome.Delivered());
    }

    @Test
    void oneRefusedRowIsIsolatedAndParkedWhileTheOthersAreWritten() {
        FakeDatabase db = new FakeDatabase();
        db.gate = new CountDownLatch(1); // hold the first write until the whole batch is queued
        ResultWriter writer = writer(db);
        for (long id = 1; id <= 16; id++) { // all queued before the writer runs: they form one batch
            writer.add(outcome(id, id == 11 ? "poison" : "ok"));
        }
        writer.start();
        db.gate.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> db.written.size() == 16);
        assertThat(db.written)
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L);
        assertThat(db.parked).singleElement().asString().startsWith("11:recorded_without_text:SQLState 22021");
        assertThat(writer.splits()).isGreaterThan(0);
        assertThat(db.deadLettered).isEmpty();
    }

    @Test
    void anOutcomeRefusedEvenWithoutItsTextIsDeadLettered() {
        FakeDatabase db = new FakeDatabase();
        ResultWriter writer = writer(db);
        writer.start();
        DeliveryTask task = new DeliveryTask(
                7, "evt_7", "server.created", "whk_x", new byte[0], 1, 1, System.nanoTime(), "test-owner");
        writer.add(new DeliveryUpdate(
                task, new AttemptResult(Instant.now(), 500, 5, null, "x", null), new Outcome.Retry(Instant.MAX)));
        writer.add(outcome(8, "ok"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> db.deadLettered.contains(7L) && db.written.contains(8L));
        assertThat(db.written).doesNotContain(7L);
    }

    @Test
    void aTransientFailureRetriesTheSameBatchWithoutSplitting() {
        FakeDatabase db = new FakeDatabase();
        db.transientFailures.set(3);
        db.gate = new CountDownLatch(1);
        ResultWriter writer = writer(db);
        for (long id = 1; id <= 8; id++) { // all queued before the writer runs: they form one batch
            writer.add(outcome(id, "ok"));
        }
        writer.start();
        db.gate.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> db.written.size() == 8);
        assertThat(db.batchSizes).containsExactly(8, 8, 8, 8);
        assertThat(writer.splits()).isZero();
        assertThat(db.parked).isEmpty();
        assertThat(writer.failingSinceNanos()).isZero();
    }

    @Test
    void transientAndDataErrorsAreTellApart() {
        assertThat(ResultWriter.isTransient(new SQLException("down", "08006"))).isTrue();
        assertThat(ResultWriter.isTransient(
                        new SQLException("terminating connection due to administrator command", "57P01")))
                .isTrue();
        assertThat(ResultWriter.isTransient(new SQLException("deadlock detected", "40P01")))
                .isTrue();
        assertThat(ResultWriter.isTransient(new SQLException("Sorry, acquisition timeout!")))
                .isTrue();
        assertThat(ResultWriter.isTransient(new RuntimeException(new SQLException("x", "08001"))))
                .isTrue();
        assertThat(ResultWriter.isTransient(new SQLException("invalid byte sequence", "22021")))
                .isFalse();
        assertThat(ResultWriter.isTransient(new SQLException("check violation", "23514")))
                .isFalse();
        assertThat(ResultWriter.isTransient(new SQLException("syntax", "42601")))
                .isFalse();
        assertThat(ResultWriter.isTransient(new IllegalArgumentException("bad value")))
                .isFalse();
    }

    @Test
    void aFullQueueMakesAddWaitAndDropsNothing() throws Exception {
        FakeDatabase db = new FakeDatabase();
        db.gate = new CountDownLatch(1);
        ResultWriter writer = writer(db, "cloudnexus.webhooks.writer.capacity", "2");
        writer.start();
        writer.add(outcome(1, "ok"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> writer.backlog() == 0); // taken, blocked in write
        writer.add(outcome(2, "ok"));
        writer.add(outcome(3, "ok"));
        assertThat(writer.backlog()).isEqualTo(2);
        Thread producer = new Thread(() -> writer.add(outcome(4, "ok")));
        producer.start();
        Awaitility.await()
                .during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(producer::isAlive);
        db.gate.countDown();
        producer.join(5_000);
        assertThat(producer.isAlive()).isFalse();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> db.written.size() == 4);
        assertThat(db.written).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
    }
}
