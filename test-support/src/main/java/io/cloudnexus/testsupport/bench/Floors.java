package io.cloudnexus.testsupport.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The three floors every benchmark measures in its own run, on the same machine, beside its figures: what one
 * step of the pipeline costs alone, with nothing of the platform in between.
 *
 * <ul>
 *   <li>Kafka: one record produced (acks=all, as the outbox relay does) -> consumed by a plain assigned consumer,
 *       one at a time;
 *   <li>PostgreSQL: the commit of one small row (autocommit INSERT), one at a time;
 *   <li>HTTP: one POST of a small JSON body to the benchmark's receiver and its answer, on a kept-alive connection.
 * </ul>
 *
 * Each is sampled sequentially after a warm-up not counted; p50 and p99 in milliseconds.
 */
public final class Floors {

    /** p50 and p99 of one floor, in ms. */
    public record Floor(double p50, double p99) {}

    /** The three floors of one run; {@code http} is null when no receiver was given. */
    public record Set(Floor kafka, Floor postgres, Floor http) {

        /** The floor of an event -> webhook figure at percentile {@code p} (50 or 99): the sum of the three steps. */
        public double pipeline(int p) {
            return pick(kafka, p) + pick(postgres, p) + (http == null ? 0 : pick(http, p));
        }

        private static double pick(Floor f, int p) {
            return p == 50 ? f.p50() : f.p99();
        }

        /** Records the six figures (informative: no target). */
        public void record(BenchFigures figures, String prefix) {
            figures.record(prefix + "floor: Kafka produce -> consume p50", kafka.p50(), "ms");
            figures.record(prefix + "floor: Kafka produce -> consume p99", kafka.p99(), "ms");
            figures.record(prefix + "floor: PostgreSQL commit of one small row p50", postgres.p50(), "ms");
            figures.record(prefix + "floor: PostgreSQL commit of one small row p99", postgres.p99(), "ms");
            if (http != null) {
                figures.record(prefix + "floor: raw HTTP exchange with the receiver p50", http.p50(), "ms");
                figures.record(prefix + "floor: raw HTTP exchange with the receiver p99", http.p99(), "ms");
            }
        }
    }

    private static final int WARMUP = Integer.getInteger("bench.floor.warmup", 100);
    private static final int SAMPLES = Integer.getInteger("bench.floor.samples", 500);

    private Floors() {}

    /** All three: Kafka at {@code bootstrap}, PostgreSQL at {@code jdbcUrl}, HTTP to {@code receiverUrl} (or null). */
    public static Set measure(String bootstrap, String jdbcUrl, String user, String password, String receiverUrl)
            throws Exception {
        Floor kafka = kafka(bootstrap);
        Floor postgres = postgres(jdbcUrl, user, password);
        Floor http = receiverUrl == null ? null : http(receiverUrl);
        Set set = new Set(kafka, postgres, http);
        System.out.printf(
                "floors: Kafka p50 %.2f / p99 %.2f ms, PostgreSQL commit p50 %.2f / p99 %.2f ms%s%n",
                kafka.p50(),
                kafka.p99(),
                postgres.p50(),
                postgres.p99(),
                http == null ? "" : String.format(", HTTP p50 %.2f / p99 %.2f ms", http.p50(), http.p99()));
        return set;
    }

    /** Produce -> consume of one record at a time on partition 0 of a fresh topic. */
    public static Floor kafka(String bootstrap) throws Exception {
        String topic = "bench.floor." + UUID.randomUUID().toString().substring(0, 8);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p);
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
            // the first send creates the topic (auto-creation), then the consumer is assigned partition 0
            producer.send(new ProducerRecord<>(topic, 0, "k", new byte[] {0})).get();
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            byte[] value = new byte[200];
            double[] samples = new double[SAMPLES];
            for (int i = -WARMUP; i < SAMPLES; i++) {
                long start = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, 0, "k", value)); // partition 0: the broker may make several
                int got = 0;
                long deadline = start + Duration.ofSeconds(30).toNanos();
                while (got == 0) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                    got = records.count();
                    if (got == 0 && System.nanoTime() > deadline) {
                        throw new IllegalStateException("a floor record did not come back within 30 s");
                    }
                }
                if (i >= 0) {
                    samples[i] = (System.nanoTime() - start) / 1e6;
                }
            }
            return of(samples);
        }
    }

    /** One small row committed at a time (autocommit INSERT into a table the floor creates and drops). */
    public static Floor postgres(String jdbcUrl, String user, String password) throws SQLException {
        String table = "bench_floor_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TABLE " + table
                        + " (id bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz NOT NULL DEFAULT now())");
            }
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO " + table + " (payload) VALUES (?)")) {
                double[] samples = new double[SAMPLES];
                for (int i = -WARMUP; i < SAMPLES; i++) {
                    insert.setString(1, "evt_" + i);
                    long start = System.nanoTime();
                    insert.executeUpdate();
                    if (i >= 0) {
                        samples[i] = (System.nanoTime() - start) / 1e6;
                    }
                }
                return of(samples);
            } finally {
                try (Statement s = connection.createStatement()) {
                    s.execute("DROP TABLE " + table);
                }
            }
        }
    }

    /** One POST of a small JSON body to {@code url} and its answer (any status), on a kept-alive HTTP/1.1 connection. */
    public static Floor http(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        String body = "{\"id\":\"evt_floor\",\"event\":\"server.created\",\"data\":{\"server_id\":\"srv_floor\","
                + "\"region\":\"us-east-1\",\"status\":\"provisioning\"}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        double[] samples = new double[SAMPLES];
        for (int i = -WARMUP; i < SAMPLES; i++) {
            long start = System.nanoTime();
            client.send(request, HttpResponse.BodyHandlers.discarding());
            if (i >= 0) {
                samples[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return of(samples);
    }

    /** p50 and p99 (nearest rank) of {@code samples}. */
    public static Floor of(double[] samples) {
        return new Floor(percentile(samples, 50), percentile(samples, 99));
    }

    /** The nearest-rank percentile {@code p} (0-100) of {@code samples}; NaN when empty. */
    public static double percentile(double[] samples, double p) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
