package io.cloudnexus.webhook.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceProcess;
import io.cloudnexus.testsupport.bench.BenchFigures;
import io.cloudnexus.testsupport.bench.Floors;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The live event stream's benchmark (not a test): starts an in-process Kafka broker, a fresh database and the
 * packaged webhook-service in its own JVM, connects WebSocket clients from this JVM to {@code GET /events/stream}
 * and prints: event-on-Kafka to frame-at-the-client latency at a paced rate with the Kafka produce-to-consume
 * round trip alone as the floor, the service's memory per idle connection (heap after a GC and RSS), and the
 * most connections it holds. Run with {@code webhook-service/bench/stream.sh}; the tunables are listed there.
 */
public final class StreamBench {

    private static final String PHASES = System.getProperty("bench.phases", "latency,memory,max");
    private static final int RATE = Integer.getInteger("bench.stream.rate", 1000);
    private static final int SECONDS = Integer.getInteger("bench.stream.seconds", 10);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.stream.warmup", 3);
    private static final int CLIENTS = Integer.getInteger("bench.stream.clients", 100);
    private static final int ACCOUNTS = Integer.getInteger("bench.stream.accounts", 10);
    private static final int IDLE_CONNECTIONS = Integer.getInteger("bench.memory.connections", 2000);
    private static final int IDLE_ACCOUNTS = Integer.getInteger("bench.memory.accounts", 20);
    private static final int IDLE_SECONDS = Integer.getInteger("bench.memory.idle", 5);
    /**
     * After closing connections, before measuring: a WebSocket whose close handshake does not complete at once is
     * reaped by the closing timeout (Vert.x: 10 s).
     */
    private static final long SETTLE_MILLIS = Long.getLong("bench.memory.settle", 12_000);

    private static final int MAX_CONNECTIONS = Integer.getInteger("bench.max.connections", 10_000);
    private static final int MAX_STEP = Integer.getInteger("bench.max.step", 1000);
    private static final int MAX_ACCOUNTS = Integer.getInteger("bench.max.accounts", 100);
    private static final int OPEN_CONCURRENCY = Integer.getInteger("bench.open.concurrency", 64);

    private final List<String> report = new ArrayList<>();
    private final BenchFigures figures = BenchFigures.fromEnvironment();
    private BenchStack stack;
    private KafkaProducer<String, byte[]> producer;
    private ServiceProcess service;
    private StreamClients clients;

    public static void main(String[] args) {
        int status = 0;
        try {
            new StreamBench().run();
        } catch (Exception e) {
            e.printStackTrace(System.out);
            status = 1;
        }
        System.exit(status); // the in-process broker's threads would keep the JVM alive
    }

    private void run() throws Exception {
        stack = BenchStack.start("cn_bench_stream");
        // the feed starts at the end of the partitions it finds at start: the topic exists before the service
        stack.createTopics(List.of(Topics.COMPUTE_EVENTS));
        producer = BenchStack.producer(stack.bootstrap);
        int perAccount = Math.max(
                100,
                Math.max(
                        ceilDiv(CLIENTS, ACCOUNTS),
                        Math.max(ceilDiv(IDLE_CONNECTIONS, IDLE_ACCOUNTS), ceilDiv(MAX_CONNECTIONS, MAX_ACCOUNTS))));
        service = BenchStack.startService(stack.service("webhook-service-stream-bench", "stream-service.jfr")
                .property("cloudnexus.webhooks.stream.max-connections-enterprise", Integer.toString(perAccount)));
        int most = Math.max(CLIENTS, Math.max(IDLE_CONNECTIONS, MAX_CONNECTIONS));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        clients = new StreamClients(vertx, service.port(), most, ceilDiv(most, 20_000));
        try {
            report(String.format(
                    "load average at start: %s; open files limit: service %s, harness %s; per-account cap set to %d",
                    BenchStack.loadAverage(),
                    BenchStack.openFilesLimit(service.pid()),
                    BenchStack.openFilesLimit(ProcessHandle.current().pid()),
                    perAccount));
            // the stream has no HTTP receiver: the Kafka and PostgreSQL floors of this run
            Floors.measure(
                            stack.bootstrap,
                            stack.jdbcUrl,
                            PostgresDatabaseResource.user(),
                            PostgresDatabaseResource.password(),
                            null)
                    .record(figures, "stream bench: ");
            if (PHASES.contains("latency")) {
                latency();
            }
            if (PHASES.contains("memory")) {
                memory();
            }
            if (PHASES.contains("max")) {
                maxConnections();
            }
        } finally {
            System.out.println();
            System.out.println("==== webhook-service stream benchmark ("
                    + Runtime.getRuntime().availableProcessors() + " cores) ====");
            report.forEach(System.out::println);
            clients.close();
            service.stop();
            producer.close();
            vertx.close();
        }
    }

    // ---- 1. latency ------------------------------------------------------------------------------------------

    /**
     * CLIENTS WebSockets over ACCOUNTS accounts, events paced at RATE/s round-robin over the accounts (so each
     * goes to CLIENTS/ACCOUNTS clients): per-frame latency from the send to Kafka to the frame's arrival, and the
     * floor, a plain group-less consumer in this JVM reading the same records.
     */
    private void latency() throws Exception {
        List<String> accounts = accounts(ACCOUNTS);
        int[] clientsOf = new int[ACCOUNTS];
        for (int i = 0; i < CLIENTS; i++) {
            clientsOf[i % ACCOUNTS]++;
        }
        StreamClients.Opened opened = clients.open(accounts, 0, CLIENTS, OPEN_CONCURRENCY);
        if (opened.failed() > 0) {
            throw new IllegalStateException(
                    opened.failed() + " of " + CLIENTS + " clients failed to connect: " + opened.firstFailure());
        }
        awaitConnections(CLIENTS, Duration.ofSeconds(30));
        try (FloorConsumer floor = new FloorConsumer(stack.bootstrap)) {
            // warm-up (not reported): JIT on both sides, the producer's and the feed's first fetches
            StreamClients.Frames warm = clients.reset();
            floor.reset();
            long warmExpected = paced(accounts, clientsOf, RATE * WARMUP_SECONDS);
            awaitFrames(warm, warmExpected, floor, RATE * WARMUP_SECONDS);
            System.out.printf(
                    "stream warm-up (%d events at %d/s): %d of %d frames, p50 %.1f ms, p99 %.1f ms (not reported)%n",
                    RATE * WARMUP_SECONDS,
                    RATE,
                    warm.count.get(),
                    warmExpected,
                    warm.latencies.percentileMillis(50),
                    warm.latencies.percentileMillis(99));

            StreamClients.Frames rec = clients.reset();
            BenchReceiver.Latencies floorLatencies = floor.reset();
            String loadBefore = BenchStack.loadAverage();
            double cpuBefore = BenchStack.cpuSeconds(service.pid());
            long start = System.nanoTime();
            int total = RATE * SECONDS;
            long expected = paced(accounts, clientsOf, total);
            double produceSeconds = (System.nanoTime() - start) / 1e9;
            awaitFrames(rec, expected, floor, total);
            double cpu = BenchStack.cpuSeconds(service.pid()) - cpuBefore;
            String loadAfter = BenchStack.loadAverage();
            report(String.format(
                    "event on Kafka -> frame at the client, %d events/s for %d s (%d WebSocket clients in %d accounts, "
                            + "%d frames per event): p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d of %d frames; "
                            + "%.0f frames/s delivered (first to last frame); load average %s -> %s",
                    RATE,
                    SECONDS,
                    CLIENTS,
                    ACCOUNTS,
                    CLIENTS / ACCOUNTS,
                    rec.latencies.percentileMillis(50),
                    rec.latencies.percentileMillis(99),
                    rec.latencies.percentileMillis(100),
                    rec.count.get(),
                    expected,
                    rec.perSecond(),
                    loadBefore,
                    loadAfter));
            report(String.format(
                    "floor, Kafka produce -> consume alone (group-less consumer in the harness, same records, same "
                            + "time): p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d of %d records",
                    floorLatencies.percentileMillis(50),
                    floorLatencies.percentileMillis(99),
                    floorLatencies.percentileMillis(100),
                    floor.count(),
                    total));
            String name = String.format(
                    "stream bench: event on Kafka -> frame at the client, %,d events/s, %d clients", RATE, CLIENTS);
            figures.record(
                    name + " p50", rec.latencies.percentileMillis(50), "ms", null, floorLatencies.percentileMillis(50));
            figures.record(
                    name + " p99",
                    rec.latencies.percentileMillis(99),
                    "ms",
                    "< 50",
                    floorLatencies.percentileMillis(99));
            report(String.format(
                    "latency run: produced %d events in %.1f s; webhook-service used %.1f CPU-seconds (%.0f µs per frame;"
                            + " it also stores every event)",
                    total, produceSeconds, cpu, cpu * 1e6 / Math.max(1, rec.count.get())));
        }
        clients.closeAll();
        awaitConnections(0, Duration.ofSeconds(60));
    }

    /** Publishes {@code total} events at RATE/s round-robin over the accounts; returns the frames they should make. */
    private long paced(List<String> accounts, int[] clientsOf, int total) {
        long intervalNanos = 1_000_000_000L / RATE;
        long expected = 0;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // no busy wait: the machine has 2 cores
            }
            int a = i % accounts.size();
            String subject = "srv_st" + (i % 64);
            long sentAt = System.nanoTime();
            byte[] data = ("{\"server_id\":\"" + subject + "\",\"region\":\"us-east-1\",\"status\":\"running\","
                            + "\"ip\":\"203.0.113." + (i % 250) + "\",\"sent_at_nanos\":\"" + sentAt + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            producer.send(BenchStack.event(
                    Topics.COMPUTE_EVENTS, EventIds.newId(), "server.provisioned", subject, accounts.get(a), data));
            expected += clientsOf[a];
        }
        producer.flush();
        return expected;
    }

    /** Waits until every frame arrived, or until none arrived for 15 s (the shortfall is then reported). */
    private static void awaitFrames(StreamClients.Frames frames, long expected, FloorConsumer floor, int records)
            throws InterruptedException {
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (frames.count.get() < expected || floor.count() < records) {
            long now = System.nanoTime();
            long count = frames.count.get() + floor.count();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = now;
            } else if (now - lastProgress > Duration.ofSeconds(15).toNanos()) {
                System.out.printf(
                        "no progress for 15 s: %d of %d frames, %d of %d floor records%n",
                        frames.count.get(), expected, floor.count(), records);
                return;
            }
            Thread.sleep(20);
        }
    }

    /** A group-less consumer of every partition of the topic, from its end (like the service's feed). */
    private static final class FloorConsumer implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile BenchReceiver.Latencies latencies = new BenchReceiver.Latencies();
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();

        FloorConsumer(String bootstrap) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20); // the service's feed uses the same
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumer = new KafkaConsumer<>(props);
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.COMPUTE_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // the seek happens now, before anything is produced
            thread = new Thread(this::run, "floor-consumer");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        long now = System.nanoTime();
                        String value = new String(r.value(), StandardCharsets.UTF_8);
                        int at = value.indexOf(StreamClients.SENT_AT);
                        if (at >= 0) {
                            latencies.add(now - StreamClients.parseNanos(value, at + StreamClients.SENT_AT.length()));
                            count.incrementAndGet();
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }

        BenchReceiver.Latencies reset() {
            latencies = new BenchReceiver.Latencies();
            count.set(0);
            return latencies;
        }

        long count() {
            return count.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            consumer.wakeup();
            thread.join(10_000);
        }
    }

    // ---- 2. memory per idle connection -----------------------------------------------------------------------

    /**
     * Heap after a full GC and RSS, before and after IDLE_CONNECTIONS idle connections over IDLE_ACCOUNTS
     * accounts; a first round opens and closes as many (not measured) so JIT, pools and heap sizing are done.
     */
    private void memory() throws Exception {
        List<String> warmAccounts = accounts(IDLE_ACCOUNTS);
        open(warmAccounts, 0, IDLE_CONNECTIONS);
        clients.closeAll();
        awaitConnections(0, Duration.ofSeconds(60));
        Thread.sleep(SETTLE_MILLIS);

        String histogramBefore = BenchStack.classHistogram(service.pid(), stack.dir.resolve("idle-before.histo"));
        long heapBefore = BenchStack.heapAfterGc(service.pid());
        double metricBefore = heapMetric();
        long rssBefore = service.rssKib() * 1024;
        List<String> accounts = accounts(IDLE_ACCOUNTS);
        StreamClients.Opened opened = open(accounts, 0, IDLE_CONNECTIONS);
        awaitConnections(IDLE_CONNECTIONS, Duration.ofSeconds(60));
        Thread.sleep(IDLE_SECONDS * 1000L); // idle: nothing is published
        if (clients.openCount() != IDLE_CONNECTIONS) {
            throw new IllegalStateException("only " + clients.openCount() + " of " + IDLE_CONNECTIONS
                    + " idle connections stayed open: " + clients.closeReasons());
        }
        long heapAfter = BenchStack.heapAfterGc(service.pid());
        String histogramOpen = BenchStack.classHistogram(service.pid(), stack.dir.resolve("idle-open.histo"));
        BenchStack.metrics(service)
                .lines()
                .filter(l -> !l.startsWith("#") && (l.contains("active") || l.startsWith("webhook_stream")))
                .forEach(l -> System.out.println("  [service, " + IDLE_CONNECTIONS + " idle streams] " + l));
        double metricAfter = heapMetric();
        long rssAfter = service.rssKib() * 1024;
        report(String.format(
                "memory per idle connection (%d idle WebSockets over %d accounts, opened in %.1f s, %d s idle): "
                        + "heap after GC %.1f KB (%d -> %d MB; Micrometer jvm_memory_used_bytes heap %.1f KB), "
                        + "RSS %.1f KB (%d -> %d MB) (target < 20 KB); load average %s",
                IDLE_CONNECTIONS,
                IDLE_ACCOUNTS,
                opened.seconds(),
                IDLE_SECONDS,
                (heapAfter - heapBefore) / 1024.0 / IDLE_CONNECTIONS,
                heapBefore >> 20,
                heapAfter >> 20,
                (metricAfter - metricBefore) / 1024.0 / IDLE_CONNECTIONS,
                (rssAfter - rssBefore) / 1024.0 / IDLE_CONNECTIONS,
                rssBefore >> 20,
                rssAfter >> 20,
                BenchStack.loadAverage()));
        clients.closeAll();
        awaitConnections(0, Duration.ofSeconds(60));
        Thread.sleep(SETTLE_MILLIS);
        String histogramClosed = BenchStack.classHistogram(service.pid(), stack.dir.resolve("idle-closed.histo"));
        long heapClosed = BenchStack.heapAfterGc(service.pid());
        report(String.format(
                "after closing them: heap after GC %d MB (%d before opening); live instances before / open / closed: "
                        + "%s (class histograms in target/bench/idle-*.histo)",
                heapClosed >> 20,
                heapBefore >> 20,
                java.util.stream.Stream.of(
                                "io.cloudnexus.webhook.stream.StreamSession",
                                "io.vertx.core.http.impl.ServerWebSocketImpl",
                                "io.netty.channel.socket.nio.NioSocketChannel",
                                "io.micrometer.core.instrument.internal.DefaultLongTaskTimer$SampleImpl")
                        .map(c -> c.substring(c.lastIndexOf('.') + 1) + " "
                                + BenchStack.instances(histogramBefore, c) + " / "
                                + BenchStack.instances(histogramOpen, c) + " / "
                                + BenchStack.instances(histogramClosed, c))
                        .collect(java.util.stream.Collectors.joining(", "))));
    }

    /** The heap in use per the service's own metrics (read right after {@link BenchStack#heapAfterGc}). */
    private double heapMetric() {
        return BenchStack.metric(BenchStack.metrics(service), "jvm_memory_used_bytes", Map.of("area", "heap"));
    }

    private StreamClients.Opened open(List<String> accounts, int from, int count) throws InterruptedException {
        StreamClients.Opened opened = clients.open(accounts, from, count, OPEN_CONCURRENCY);
        if (opened.failed() > 0) {
            throw new IllegalStateException(
                    opened.failed() + " of " + count + " connections failed: " + opened.firstFailure());
        }
        return opened;
    }

    // ---- 3. most connections held ----------------------------------------------------------------------------

    /** Opens connections in steps of MAX_STEP until one fails, the server closes one, or MAX_CONNECTIONS are open. */
    private void maxConnections() throws Exception {
        List<String> accounts = accounts(MAX_ACCOUNTS);
        int held = 0;
        String stop = null;
        long start = System.nanoTime();
        long peakRss = 0;
        while (stop == null) {
            int step = Math.min(MAX_STEP, MAX_CONNECTIONS - held);
            StreamClients.Opened opened = clients.open(accounts, held, step, OPEN_CONCURRENCY);
            held = clients.openCount();
            long rss = service.rssKib() * 1024;
            peakRss = Math.max(peakRss, rss);
            double gauge = connectionsGauge();
            System.out.printf(
                    "  %d connections held (service gauge %.0f), step of %d opened in %.1f s, %d failed; service RSS "
                            + "%d MB; load average %s%n",
                    held, gauge, step, opened.seconds(), opened.failed(), rss >> 20, BenchStack.loadAverage());
            if (!service.isAlive()) {
                stop = "the service exited: " + service.logTail(5);
            } else if (opened.failed() > 0) {
                stop = opened.failed() + " of a step of " + step + " failed, first: " + opened.firstFailure();
            } else if (clients.serverClosed() > 0) {
                stop = "the service closed " + clients.serverClosed() + " connections: " + clients.closeReasons();
            } else if (held >= MAX_CONNECTIONS) {
                stop = "reached the configured maximum (-Dbench.max.connections=" + MAX_CONNECTIONS + ")";
            }
        }
        long heap = service.isAlive() ? BenchStack.heapAfterGc(service.pid()) : -1;
        report(String.format(
                "most connections held: %d (over %d accounts, in %.1f s); stopped because %s; service RSS at peak %d MB, "
                        + "heap after GC %d MB; load average %s",
                held,
                MAX_ACCOUNTS,
                (System.nanoTime() - start) / 1e9,
                stop,
                peakRss >> 20,
                heap >> 20,
                BenchStack.loadAverage()));
        clients.closeAll();
        if (service.isAlive()) {
            awaitConnections(0, Duration.ofSeconds(120));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private double connectionsGauge() {
        return BenchStack.metric(BenchStack.metrics(service), "webhook_stream_connections", Map.of());
    }

    /** Waits until the service counts {@code expected} open streams (its {@code webhook_stream_connections}). */
    private void awaitConnections(int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        double gauge;
        while ((gauge = connectionsGauge()) != expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the service counts " + gauge + " open streams, not " + expected + ", after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static List<String> accounts(int n) {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            accounts.add(ResourceIds.newId(ResourceIds.ACCOUNT));
        }
        return accounts;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / Math.max(1, b);
    }

    private void report(String line) {
        System.out.println(line);
        report.add(line);
    }
}
