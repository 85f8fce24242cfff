package io.cloudnexus.billing.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.cloudnexus.billing.config.BillingConfig;
import io.cloudnexus.billing.service.UsageMeter;
import io.cloudnexus.common.rest.SafeText;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Consumes compute.events and cluster.events with a plain KafkaConsumer on its own thread and meters each record
 * through {@link UsageMeter} (each poll's records in one transaction, deduplicated on the event id). Offsets are
 * committed manually, only after the records before them are committed in PostgreSQL; if a transaction fails
 * (database away), the records are retried one by one, the partitions rewound to the first unprocessed record
 * and retried after a pause, so nothing is skipped and a redelivery changes nothing. A record without the CloudEvents headers billing needs is logged and
 * skipped (retrying cannot fix it).
 */
@ApplicationScoped
public class UsageConsumer {

    private static final Logger LOG = Logger.getLogger(UsageConsumer.class);

    private final BillingConfig config;
    private final UsageMeter meter;
    private final MeterRegistry metrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;

    public UsageConsumer(BillingConfig config, UsageMeter meter, MeterRegistry metrics) {
        this.config = config;
        this.meter = meter;
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.consumer().enabled()) {
            LOG.info("Usage consumer disabled (cloudnexus.billing.consumer.enabled=false)");
            return;
        }
        consumer = new KafkaConsumer<>(properties());
        thread = new Thread(this::run, "billing-usage-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(config.consumer().topics());
            while (stopped.getCount() > 0) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(config.consumer().pollTimeout());
                    if (!records.isEmpty()) {
                        process(records);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // e.g. a commit refused after a rebalance: the uncommitted records come again (deduplicated)
                    LOG.warnf("Usage consumer: %s; continuing after %s", SafeText.forLog(e), config.consumer().retryBackoff());
                    pause(config.consumer().retryBackoff());
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error("The usage consumer stopped unexpectedly", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Meters a poll's records: first all in one transaction; if that fails, record by record, committing what
     * was processed, rewinding to the first record that failed and pausing (so nothing is skipped).
     */
    void process(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> end = new HashMap<>();
        List<IncomingEvent> events = new ArrayList<>(records.count());
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                IncomingEvent event = parse(record);
                if (event != null) {
                    events.add(event);
                }
                end.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        try {
            meter.recordAll(events).forEach(this::count);
            consumer.commitSync(end);
        } catch (RuntimeException e) {
            LOG.debugf(e, "Batch of %d events failed; metering them one by one", events.size());
            processOneByOne(records);
        }
    }

    private void processOneByOne(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        RuntimeException failure = null;
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                try {
                    IncomingEvent event = parse(record);
                    if (event != null) {
                        count(meter.record(event));
                    }
                    done.put(partition, new OffsetAndMetadata(record.offset() + 1));
                } catch (RuntimeException e) {
                    failure = e;
                    consumer.seek(partition, record.offset());
                    break;
                }
            }
            if (failure != null) {
                // the other unprocessed partitions of this batch are read again too
                TopicPartition failed = partition;
                records.partitions().stream().filter(p -> !done.containsKey(p) && !p.equals(failed))
                        .forEach(p -> consumer.seek(p, records.records(p).get(0).offset()));
                break;
            }
        }
        if (!done.isEmpty()) {
            consumer.commitSync(done);
        }
        if (failure != null) {
            LOG.warnf("Metering failed (%s); retrying in %s", SafeText.forLog(failure), config.consumer().retryBackoff());
            pause(config.consumer().retryBackoff());
        }
    }

    /** The record as an event, or null (logged, counted, skipped) if it lacks what billing needs. */
    private IncomingEvent parse(ConsumerRecord<String, byte[]> record) {
        try {
            return IncomingEvent.of(record);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Skipping %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    SafeText.forLog(e.getMessage()));
            metrics.counter("billing.events.consumed", "outcome", "malformed").increment();
            return null;
        }
    }

    private void count(UsageMeter.Outcome outcome) {
        metrics.counter("billing.events.consumed", "outcome", outcome.name().toLowerCase()).increment();
    }

    private Properties properties() {
        BillingConfig.Consumer c = config.consumer();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, c.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "billing-usage-consumer");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(c.maxPollRecords()));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(c.sessionTimeout().toMillis()));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private void pause(Duration duration) {
        try {
            stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
        }
    }

    /** Whether the consumer thread runs (or is disabled by configuration); false once it died unexpectedly. */
    public boolean isHealthy() {
        return !config.consumer().enabled() || thread != null && thread.isAlive() || stopped.getCount() == 0;
    }

    @PreDestroy
    void stop() {
        stopped.countDown();
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
