package io.cloudnexus.webhook.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * Wraps the engine's periodic jobs so that an exception never cancels one (a
 * {@link java.util.concurrent.ScheduledExecutorService} silently stops a task that throws), and records when
 * each last started and ended, for the health checks.
 */
@ApplicationScoped
public class JobMonitor {

    private static final Logger LOG = Logger.getLogger(JobMonitor.class);

    /** One job's state; times are {@link System#nanoTime()}. */
    public static final class Job {
        final String name;
        final long intervalNanos;
        final long registeredNanos = System.nanoTime();
        volatile long lastStartNanos;
        volatile long lastEndNanos;
        volatile boolean running;
        volatile long failures;
        volatile String lastError;

        Job(String name, Duration interval) {
            this.name = name;
            this.intervalNanos = interval.toNanos();
        }

        public String name() {
            return name;
        }

        public long failures() {
            return failures;
        }

        /** Why the job is not healthy at {@code now}, or null: stuck in a run, or not run for too long. */
        String problem(long now, Duration stall) {
            long stallNanos = stall.toNanos();
            if (running && now - lastStartNanos > stallNanos + intervalNanos) {
                return name + " has been running for " + seconds(now - lastStartNanos) + " s";
            }
            long since = lastEndNanos == 0 ? registeredNanos : lastEndNanos;
            if (!running && now - since > intervalNanos + stallNanos) {
                return name + " has not run for " + seconds(now - since) + " s";
            }
            return null;
        }

        private static long seconds(long nanos) {
            return nanos / 1_000_000_000L;
        }
    }

    private final List<Job> jobs = new CopyOnWriteArrayList<>();

    /** The job, wrapped: exceptions (and errors) are logged and counted, never propagated to the executor. */
    public Runnable guard(String name, Duration interval, Runnable task) {
        Job job = new Job(name, interval);
        jobs.add(job);
        return () -> {
            job.running = true;
            job.lastStartNanos = System.nanoTime();
            try {
                task.run();
                job.lastError = null;
            } catch (Throwable e) {
                job.failures++;
                job.lastError = String.valueOf(e.getMessage());
                LOG.errorf(e, "periodic job %s failed; it runs again at its next interval", name);
            } finally {
                job.running = false;
                job.lastEndNanos = System.nanoTime();
            }
        };
    }

    public List<Job> jobs() {
        return List.copyOf(jobs);
    }
}
