package io.cloudnexus.webhook.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A periodic job that throws keeps running (a bare ScheduledExecutorService cancels it), and its state is reported. */
class JobMonitorTest {

    @Test
    void aThrowingJobKeepsRunning() {
        JobMonitor monitor = new JobMonitor();
        AtomicInteger runs = new AtomicInteger();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            executor.scheduleWithFixedDelay(
                    monitor.guard("failing", Duration.ofMillis(10), () -> {
                        runs.incrementAndGet();
                        throw new IllegalStateException("one bad row");
                    }),
                    0,
                    10,
                    TimeUnit.MILLISECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 5);
            JobMonitor.Job job = monitor.jobs().get(0);
            assertThat(job.failures()).isGreaterThanOrEqualTo(4);
            assertThat(job.problem(System.nanoTime(), Duration.ofSeconds(5))).isNull();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aJobThatStoppedRunningOrIsStuckIsAProblem() {
        JobMonitor monitor = new JobMonitor();
        Runnable never = monitor.guard("never-scheduled", Duration.ofMillis(10), () -> {});
        JobMonitor.Job job = monitor.jobs().get(0);
        long later = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        assertThat(job.problem(later, Duration.ofSeconds(1))).contains("never-scheduled has not run for");
        never.run();
        assertThat(job.problem(System.nanoTime(), Duration.ofSeconds(1))).isNull();
        job.running = true;
        job.lastStartNanos = System.nanoTime();
        assertThat(job.problem(later, Duration.ofSeconds(1))).contains("has been running for");
    }
}
