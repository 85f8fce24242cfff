package io.cloudnexus.webhook.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.DeliveryMetrics;
import io.cloudnexus.webhook.delivery.Dispatcher;
import io.cloudnexus.webhook.delivery.EngineIdentity;
import io.cloudnexus.webhook.repository.IngestRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * Consumes every {@code *.events} topic in one consumer group: a batch {@code @Incoming} of the SmallRye Kafka
 * connector (channel {@value #CHANNEL}, configured in application.properties), one poll's records per call, in
 * order, on a worker thread. Per call: match, persist the deliveries (in transactions of at most
 * {@code consumer.ingest-chunk} rows), hand each chunk's new, now durable deliveries to the dispatcher as far as
 * their lanes have room (the rest waits in PostgreSQL, so the consumer never waits for one endpoint's backlog),
 * THEN return, which acknowledges the records. The connector's {@code throttled} commit strategy commits an offset
 * only once its record and all before it are acknowledged (invariant 1: nothing is acknowledged before it is
 * durable). A crash or a rebalance before the commit re-reads the records; the ingest is idempotent (ON CONFLICT DO
 * NOTHING), so nothing is created or sent twice because of it.
 *
 * <p>A failing ingest (database away) is retried here every second, never nacked: the {@code fail} strategy would
 * stop the channel and a skipping strategy would lose the events; meanwhile the connector pauses the partitions
 * (its queue is bounded). Only a shutdown ends the retries, with a nack (the offsets stay uncommitted).
 * Records that cannot be delivered (no id, type or account, data not a JSON object) are logged and skipped
 * ({@link EventMatcher}). Records reach the engine only between {@link #start()} and {@link #stop()}: until the
 * endpoint index is loaded and the dispatcher runs, a call waits.
 */
@ApplicationScoped
public class EventConsumer {

    /** The channel (mp.messaging.incoming.webhook-events.*). */
    public static final String CHANNEL = "webhook-events";

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);
    private static final long RETRY_MILLIS = 1000;

    private final WebhookConfig config;
    private final EventMatcher matcher;
    private final IngestRepository ingest;
    private final DeliveryMetrics metrics;
    private final EngineIdentity identity;
    private final KafkaClientService kafka;
    private final IngestRepository.Sink sink;
    private final Object gate = new Object();
    private boolean running;
    private boolean shuttingDown;

    public EventConsumer(
            WebhookConfig config,
            EventMatcher matcher,
            IngestRepository ingest,
            Dispatcher dispatcher,
            DeliveryMetrics metrics,
            EngineIdentity identity,
            KafkaClientService kafka) {
        this.config = config;
        this.matcher = matcher;
        this.ingest = ingest;
        this.metrics = metrics;
        this.identity = identity;
        this.kafka = kafka;
        this.sink = dispatcher.ingestSink();
    }

    /** Lets records reach the engine (called once the endpoint index and the dispatcher run). */
    public void start() {
        synchronized (gate) {
            running = true;
            gate.notifyAll();
        }
    }

    /** Stops handing records to the engine (a call waits until {@link #start()}). */
    public void stop() {
        synchronized (gate) {
            running = false;
            gate.notifyAll();
        }
    }

    /** At shutdown a waiting or retrying call gives up with a nack: its offsets stay uncommitted. */
    void shutdown(@Observes ShutdownEvent event) {
        synchronized (gate) {
            running = false;
            shuttingDown = true;
            gate.notifyAll();
        }
    }

    /** Whether records reach the engine (between start and stop). */
    public boolean isRunning() {
        synchronized (gate) {
            return running;
        }
    }

    /** One poll's records: persisted (retried until durable), then acknowledged by returning. */
    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        awaitRunning();
        matcher.awaitFresh(); // endpoints created or changed anywhere before these events are in the index
        List<IngestRepository.MatchedEvent> matched = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            matcher.match(
                            header(record, CloudEventHeaders.ID),
                            header(record, CloudEventHeaders.TYPE),
                            header(record, CloudEventHeaders.ACCOUNT_ID),
                            header(record, CloudEventHeaders.TIME),
                            record.value(),
                            record.topic() + "/" + record.partition() + "@" + record.offset())
                    .ifPresent(matched::add);
        }
        while (true) {
            try {
                long started = System.nanoTime();
                // chunked transactions; each chunk's deliveries with room in their lane are sent at once, the others
                // stay in PostgreSQL for the scheduler. The records are acknowledged only once ALL chunks are durable.
                ingest.ingest(
                        matched,
                        false,
                        identity.owner(),
                        config.scheduler().lease(),
                        config.consumer().ingestChunk(),
                        sink);
                metrics.ingested(records.count(), System.nanoTime() - started);
                reportLag();
                return;
            } catch (java.sql.SQLException | RuntimeException e) {
                LOG.warnf("persisting %d events failed, retrying the batch: %s", matched.size(), e.getMessage());
                synchronized (gate) {
                    if (!shuttingDown) {
                        TimeUnit.MILLISECONDS.timedWait(gate, RETRY_MILLIS);
                    }
                    if (shuttingDown) {
                        throw new IllegalStateException(
                                "shutting down before " + matched.size()
                                        + " events were persisted; their offsets stay uncommitted",
                                e);
                    }
                }
            }
        }
    }

    private void awaitRunning() throws InterruptedException {
        synchronized (gate) {
            while (!running && !shuttingDown) {
                gate.wait();
            }
            if (shuttingDown) {
                throw new IllegalStateException("shutting down: the records are read again after the restart");
            }
        }
    }

    /** {@code webhook.consumer.lag}: records behind the end of the assigned partitions, read on the polling thread. */
    private void reportLag() {
        var consumer = kafka.getConsumer(CHANNEL);
        if (consumer == null) {
            return;
        }
        consumer.runOnPollingThread(c -> {
                    long lag = 0;
                    for (TopicPartition tp : c.assignment()) {
                        lag += c.currentLag(tp).orElse(0);
                    }
                    return lag;
                })
                .subscribe()
                .with(metrics::consumerLag, e -> LOG.debugf("consumer lag not read: %s", e.getMessage()));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
