package io.cloudnexus.fault;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.CountingReceiver;

/**
 * Produces domain events straight to Kafka as the outbox relays do (CloudEvents binary mode: {@code ce_*}
 * headers, key = aggregate id, value = the {@code data} object; idempotent producer, acks=all), and remembers
 * each one: id, partition (once acknowledged) and when it was sent.
 */
final class EventProducer implements AutoCloseable {

    /** One produced event; {@code partition} completes with the broker's acknowledgement. */
    record Sent(String id, String account, long sentAtMillis, CompletableFuture<Integer> partition) {}

    private final KafkaProducer<String, byte[]> producer;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    EventProducer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
    }

    /** Sends a {@code server.provisioned} for server {@code n % 64} of {@code account} (no wait for the ack). */
    Sent serverProvisioned(String account, int n) {
        String server = "srv_f" + Integer.toString(n % 64, 36) + account.substring(account.length() - 6);
        String data = "{\"server_id\":\"" + server
                + "\",\"region\":\"us-east-1\",\"status\":\"running\",\"ip\":\"203.0.113." + (n % 250) + "\"}";
        return send(Topics.COMPUTE_EVENTS, account, "server.provisioned", server, data);
    }

    Sent send(String topic, String account, String type, String subject, String dataJson) {
        return send(topic, null, account, type, subject, dataJson);
    }

    /** A probe to one partition: {@code server.provisioned} not counted by the scenarios. */
    Sent probe(String account, int partition) {
        String server = "srv_probe" + partition;
        return send(
                Topics.COMPUTE_EVENTS,
                partition,
                account,
                "server.provisioned",
                server,
                "{\"server_id\":\"" + server
                        + "\",\"region\":\"us-east-1\",\"status\":\"running\",\"ip\":\"203.0.113.1\"}");
    }

    Sent send(String topic, Integer partitionOrNull, String account, String type, String subject, String dataJson) {
        String id = EventIds.newId();
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, partitionOrNull, subject, dataJson.getBytes(StandardCharsets.UTF_8));
        header(record, CloudEventHeaders.SPECVERSION, CloudEventHeaders.SPEC_VERSION);
        header(record, CloudEventHeaders.ID, id);
        header(record, CloudEventHeaders.TYPE, type);
        header(record, CloudEventHeaders.SOURCE, "/cloudnexus/fault-tests");
        header(record, CloudEventHeaders.TIME, EventEnvelope.formatTimestamp(Instant.now()));
        header(record, CloudEventHeaders.SUBJECT, subject);
        header(record, CloudEventHeaders.ACCOUNT_ID, account);
        CompletableFuture<Integer> partition = new CompletableFuture<>();
        Sent s = new Sent(id, account, System.currentTimeMillis(), partition);
        if (partitionOrNull == null) {
            sent.add(s);
        }
        producer.send(record, (meta, error) -> {
            if (error != null) {
                partition.completeExceptionally(error);
            } else {
                partition.complete(meta.partition());
            }
        });
        return s;
    }

    /**
     * Sends a probe to each of {@code partitions} partitions every second until, in one round, every probe reached
     * every receiver path: then every replica's endpoint index knows the endpoints. Probes are not in {@link #sent()}.
     */
    void awaitEndpointsKnown(
            String account, int partitions, List<CountingReceiver> receivers, List<String> paths, Duration timeout) {
        awaitProbes(
                account,
                partitions,
                ids -> {
                    for (int i = 0; i < receivers.size(); i++) {
                        if (!receivers.get(i).eventIds(paths.get(i)).containsAll(ids)) {
                            return false;
                        }
                    }
                    return true;
                },
                Duration.ofSeconds(2),
                timeout);
    }

    /**
     * Sends a round of probes (one to each of {@code partitions} partitions) and waits up to {@code round} until
     * {@code reached} holds for the round's event ids; again until it does in one round. Returns the ids of every
     * probe sent (later rounds' included); probes are not in {@link #sent()}.
     */
    List<String> awaitProbes(
            String account, int partitions, Predicate<List<String>> reached, Duration round, Duration timeout) {
        List<String> all = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            List<String> ids = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                ids.add(probe(account, p).id());
            }
            all.addAll(ids);
            producer.flush();
            if (Awaits.within(() -> reached.test(ids), round)) {
                return all;
            }
        }
        throw new AssertionError("no round of probes reached everything within " + timeout);
    }

    /** Everything sent so far. */
    List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** Waits for every acknowledgement; fails if a send failed. */
    void flush() {
        producer.flush();
        for (Sent s : sent) {
            try {
                s.partition().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("event " + s.id() + " was not acknowledged", e);
            }
        }
    }

    /** Parks the producing thread until the {@code i}-th event is due at {@code rate} per second from {@code startNanos}. */
    static void pace(int i, int rate, long startNanos) {
        long due = startNanos + (long) (i * 1_000_000_000.0 / rate);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
