package io.cloudnexus.webhook.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.EngineIdentity;
import io.cloudnexus.webhook.events.Envelopes;
import io.cloudnexus.webhook.events.FeedPosition;

/**
 * Feeds this replica's streams: a consumer WITHOUT a group that is assigned every partition of every
 * {@code *.events} topic (the group consumer that creates deliveries reads only this replica's share), so a
 * client connected to any replica sees every event of its account. It starts at the end of the partitions it
 * finds at start (what came before is in the store: a client resumes with {@code since}) and at the beginning of
 * partitions that appear later, and emits in the streams' order ({@link FeedOrder}). It commits nothing; the store,
 * not this feed, is the durable record.
 */
@ApplicationScoped
public class StreamFeed {

    private static final Logger LOG = Logger.getLogger(StreamFeed.class);

    private final WebhookConfig config;
    private final String bootstrapServers;
    private final StreamHub hub;
    private final EngineIdentity identity;
    private final FeedOrder order;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public StreamFeed(
            WebhookConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            StreamHub hub,
            EngineIdentity identity) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.hub = hub;
        this.identity = identity;
        this.order = new FeedOrder(config.stream().maxReorderHold());
    }

    public synchronized void start() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.consumer().maxPollRecords());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "webhook-stream-feed-" + identity.owner());
        consumer = new KafkaConsumer<>(props);
        running = true;
        thread = new Thread(this::run, "webhook-stream-feed");
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
        Pattern topics = Pattern.compile(config.consumer().topicPattern());
        long refreshNanos = config.consumer().metadataRefresh().toNanos();
        long lastRefresh = 0;
        boolean first = true;
        try {
            while (running) {
                if (first || System.nanoTime() - lastRefresh > refreshNanos) {
                    try {
                        assign(c, topics, first);
                        first = false;
                    } catch (org.apache.kafka.common.KafkaException e) {
                        if (e instanceof WakeupException w) {
                            throw w;
                        }
                        LOG.debugf("stream feed: listing topics failed: %s", e.getMessage());
                    }
                    lastRefresh = System.nanoTime();
                }
                if (c.assignment().isEmpty()) {
                    Thread.sleep(Math.min(1000, Math.max(10, refreshNanos / 1_000_000)));
                    continue;
                }
                Duration wait = order.isEmpty() ? Duration.ofMillis(200) : Duration.ofMillis(5);
                for (ConsumerRecord<String, byte[]> record : c.poll(wait)) {
                    LiveEvent event = toEvent(record);
                    if (event != null) {
                        order.add(new TopicPartition(record.topic(), record.partition()), event);
                    }
                }
                order.emitReady(c, hub::publish);
            }
        } catch (WakeupException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "the stream feed stopped");
        } finally {
            running = false;
            c.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns every partition of the matching topics: new ones at their end on the first call, else at their start. */
    private static void assign(KafkaConsumer<String, byte[]> c, Pattern topics, boolean first) {
        Set<TopicPartition> wanted = new HashSet<>();
        for (Map.Entry<String, List<PartitionInfo>> topic :
                c.listTopics(Duration.ofSeconds(5)).entrySet()) {
            if (topics.matcher(topic.getKey()).matches()) {
                for (PartitionInfo p : topic.getValue()) {
                    wanted.add(new TopicPartition(p.topic(), p.partition()));
                }
            }
        }
        Set<TopicPartition> current = c.assignment();
        if (wanted.equals(current)) {
            return;
        }
        List<TopicPartition> added = new ArrayList<>(wanted);
        added.removeAll(current);
        c.assign(wanted);
        if (first) {
            c.seekToEnd(added);
        } else {
            c.seekToBeginning(added);
        }
    }

    private static LiveEvent toEvent(ConsumerRecord<String, byte[]> record) {
        String id = Envelopes.header(record, CloudEventHeaders.ID);
        String type = Envelopes.header(record, CloudEventHeaders.TYPE);
        String account = Envelopes.header(record, CloudEventHeaders.ACCOUNT_ID);
        if (id == null || type == null || account == null || record.value() == null) {
            return null;
        }
        try {
            byte[] envelope = Envelopes.of(
                    id,
                    type,
                    Envelopes.timestamp(Envelopes.header(record, CloudEventHeaders.TIME), id),
                    record.value());
            return new LiveEvent(id, account, type, envelope, FeedPosition.of(record));
        } catch (IllegalArgumentException e) {
            return null; // the group consumer logs it
        }
    }
}
