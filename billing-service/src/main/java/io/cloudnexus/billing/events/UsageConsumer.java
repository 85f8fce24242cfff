package io.cloudnexus.billing.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.cloudnexus.billing.config.BillingConfig;
import io.cloudnexus.billing.service.UsageMeter;
import io.cloudnexus.common.rest.SafeText;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;

/**
 * Meters compute.events and cluster.events: a batch {@code @Incoming} of the SmallRye Kafka connector (channel
 * {@value #CHANNEL}, configured in application.properties), one poll's records per call, in order, on a worker
 * thread. The batch is acknowledged when the call returns, that is after its transaction committed, and the
 * connector's {@code throttled} commit strategy commits only offsets whose records (and all before them) are
 * acknowledged: an event is never acknowledged before it is durable.
 *
 * <p>A failing transaction (database away) is not nacked (the {@code fail} strategy would stop the channel, and a
 * skipping strategy would lose the events): the batch is metered record by record, and a record that fails is
 * retried after {@code consumer.retry-backoff} until it commits, so nothing is skipped and a redelivery changes
 * nothing (deduplicated on the event id). Meanwhile the connector pauses the partitions (its queue is bounded).
 * Only a shutdown ends the retries, with a nack: those offsets stay uncommitted and the records are read again.
 * A record without the CloudEvents headers billing needs is logged, counted as {@code malformed} and acknowledged
 * (retrying cannot fix it).
 */
@ApplicationScoped
public class UsageConsumer {

    /** The channel (mp.messaging.incoming.usage-events.*). */
    public static final String CHANNEL = "usage-events";

    private static final Logger LOG = Logger.getLogger(UsageConsumer.class);

    private final BillingConfig config;
    private final UsageMeter meter;
    private final MeterRegistry metrics;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public UsageConsumer(BillingConfig config, UsageMeter meter, MeterRegistry metrics) {
        this.config = config;
        this.meter = meter;
        this.metrics = metrics;
    }

    /** One poll's records: all in one transaction, or one by one (each retried until it commits) if that fails. */
    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        List<IncomingEvent> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            IncomingEvent event = parse(record);
            if (event != null) {
                events.add(event);
            }
        }
        try {
            meter.recordAll(events).forEach(this::count);
        } catch (RuntimeException e) {
            LOG.debugf(e, "Batch of %d events failed; metering them one by one", events.size());
            events.forEach(this::meterUntilCommitted);
        }
    }

    private void meterUntilCommitted(IncomingEvent event) {
        while (true) {
            try {
                count(meter.record(event));
                return;
            } catch (RuntimeException e) {
                LOG.warnf(
                        "Metering %s failed (%s); retrying in %s",
                        event.id(), SafeText.forLog(e), config.consumer().retryBackoff());
                if (pause(config.consumer().retryBackoff())) {
                    // nack: the offsets of this batch stay uncommitted, the records are read again after the restart
                    throw new IllegalStateException("shutting down before " + event.id() + " was metered", e);
                }
            }
        }
    }

    /** The record as an event, or null (logged, counted, skipped) if it lacks what billing needs. */
    private IncomingEvent parse(ConsumerRecord<String, byte[]> record) {
        try {
            return IncomingEvent.of(record);
        } catch (IllegalArgumentException e) {
            LOG.warnf(
                    "Skipping %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), SafeText.forLog(e.getMessage()));
            metrics.counter("billing.events.consumed", "outcome", "malformed").increment();
            return null;
        }
    }

    private void count(UsageMeter.Outcome outcome) {
        metrics.counter("billing.events.consumed", "outcome", outcome.name().toLowerCase())
                .increment();
    }

    /** Waits {@code duration}; true if the application is stopping. */
    private boolean pause(Duration duration) {
        try {
            return stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped.countDown();
    }
}
