package io.cloudnexus.webhook.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.DeliveryMetrics;
import io.cloudnexus.webhook.delivery.Dispatcher;
import io.cloudnexus.webhook.delivery.EngineIdentity;
import io.cloudnexus.webhook.repository.IngestRepository;
import io.cloudnexus.webhook.tracing.DeliveryTracing;

/**
 * Consumes every {@code *.events} topic in one consumer group on a dedicated thread. Per poll: match,
 * persist every event (also those no endpoint wants) and its deliveries (in transactions of at most {@code consumer.ingest-chunk} rows), hand each chunk's new,
 * now durable deliveries to the dispatcher as far as their lanes have room (the rest waits in PostgreSQL, so
 * the consumer never pauses because of one endpoint's backlog), THEN commit the offsets. A crash anywhere before the offset commit re-reads the records; the ingest is
 * idempotent (ON CONFLICT DO NOTHING), so nothing is created or sent twice because of it.
 *
 * <p>The offset commit is asynchronous ({@code commitAsync}, sent only once the poll's deliveries are durable): the
 * loop polls again without waiting for the broker's answer (one round trip per poll off every event's latency). A
 * commit that fails (a rebalance, the broker unreachable) only leaves an older committed offset: whoever reads the
 * partition next re-reads records that are already durable, and the idempotent ingest creates nothing from them;
 * the next successful commit (offsets only grow) covers them.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final WebhookConfig config;
    private final String bootstrapServers;
    private final EventMatcher matcher;
    private final IngestRepository ingest;
    private final Dispatcher dispatcher;
    private final DeliveryMetrics metrics;
    private final EngineIdentity identity;
    private final IngestRepository.Sink sink;
    private final DeliveryTracing tracing;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public EventConsumer(
            WebhookConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            EventMatcher matcher,
            IngestRepository ingest,
            Dispatcher dispatcher,
            DeliveryMetrics metrics,
            EngineIdentity identity,
            DeliveryTracing tracing) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.matcher = matcher;
        this.ingest = ingest;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.identity = identity;
        this.sink = dispatcher.ingestSink();
        this.tracing = tracing;
    }

    public synchronized void start() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumer().groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.consumer().maxPollRecords());
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int)
                config.consumer().metadataRefresh().toMillis());
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int)
                config.consumer().sessionTimeout().toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int)
                Math.max(1000, config.consumer().sessionTimeout().toMillis() / 5));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "webhook-service-" + identity.owner());
        consumer = new KafkaConsumer<>(props);
        metrics.bind(consumer);
        running = true;
        thread = new Thread(this::run, "webhook-event-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        KafkaConsumer<String, byte[]> c = consumer;
        try {
            c.subscribe(Pattern.compile(config.consumer().topicPattern()));
            while (running) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    DeliveryTracing.IngestSpans spans = tracing.ingest(records); // no-op with tracing off
                    try {
                        process(c, records);
                    } finally {
                        spans.end();
                    }
                }
                reportLag(c);
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.errorf(e, "the event consumer stopped");
        } finally {
            c.close(Duration.ofSeconds(5));
        }
    }

    private void process(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        matcher.awaitFresh(); // endpoints created or changed anywhere before these events are in the index
        List<IngestRepository.MatchedEvent> matched = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<TopicPartition, Long> firsts = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            firsts.putIfAbsent(tp, record.offset());
            offsets.put(tp, new OffsetAndMetadata(record.offset() + 1));
            matcher.match(
                            Envelopes.header(record, CloudEventHeaders.ID),
                            Envelopes.header(record, CloudEventHeaders.TYPE),
                            Envelopes.header(record, CloudEventHeaders.ACCOUNT_ID),
                            Envelopes.header(record, CloudEventHeaders.TIME),
                            Envelopes.header(record, CloudEventHeaders.SUBJECT),
                            record.value(),
                            FeedPosition.of(record),
                            record.topic() + "/" + record.partition() + "@" + record.offset())
                    .ifPresent(matched::add);
        }
        while (running) {
            try {
                long started = System.nanoTime();
                // chunked transactions; each chunk's deliveries with room in their lane are sent at once, the
                // others stay in PostgreSQL for the scheduler. Offsets are committed only once ALL chunks are
                // durable (a crash before the commit re-reads the records; the idempotent ingest creates nothing twice)
                ingest.ingest(
                        matched,
                        false,
                        identity.owner(),
                        config.scheduler().lease(),
                        config.consumer().ingestChunk(),
                        sink);
                c.commitAsync(offsets, (committed, error) -> {
                    if (error != null) {
                        LOG.debugf(
                                "committing offsets %s failed (re-read idempotently if needed): %s", committed, error);
                    }
                });
                metrics.ingested(records.count(), System.nanoTime() - started);
                return;
            } catch (java.sql.SQLException | RuntimeException e) {
                if (e instanceof WakeupException w) {
                    throw w;
                }
                LOG.warnf("persisting %d events failed, retrying the batch: %s", matched.size(), e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (e instanceof org.apache.kafka.common.errors.RebalanceInProgressException
                        || e instanceof org.apache.kafka.clients.consumer.CommitFailedException) {
                    // partitions moved: rewind so the new owner (or we) re-read the uncommitted records
                    firsts.forEach((tp, offset) -> {
                        if (c.assignment().contains(tp)) {
                            c.seek(tp, offset);
                        }
                    });
                    return;
                }
            }
        }
    }

    private void reportLag(KafkaConsumer<String, byte[]> c) {
        long lag = 0;
        for (TopicPartition tp : c.assignment()) {
            lag += c.currentLag(tp).orElse(0);
        }
        metrics.consumerLag(lag);
    }
}
