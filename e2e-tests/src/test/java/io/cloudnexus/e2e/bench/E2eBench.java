package io.cloudnexus.e2e.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.e2e.Platform;
import io.cloudnexus.launcher.Topology;
import io.cloudnexus.testsupport.ServiceProcess;
import io.cloudnexus.testsupport.bench.BenchFigures;
import io.cloudnexus.testsupport.bench.Floors;

/**
 * The end-to-end benchmark (not a test): the platform exactly as {@code ./run-platform.sh} runs it (the packaged
 * services as processes, the e2e tests' {@link Platform}, in {@code e2e-tests/target/bench}), a real webhook receiver
 * in this JVM, and the floors of this run. Phases ({@code -Dbench.phases}, default all):
 *
 * <ol>
 *   <li>{@code idle}: each service's RSS ({@code /proc/<pid>/status} VmRSS) after start-up and a quiet period;
 *   <li>{@code created}: {@code POST /v2/servers} through the gateway at {@code bench.e2e.rate}/s (50) for
 *       {@code bench.e2e.seconds} (20) after {@code bench.e2e.warmup} (30) s not counted: a freshly started platform answers in seconds until its JIT and heaps settle; per server, from its 201
 *       answer to its {@code server.created} webhook at the receiver: p50/p99;
 *   <li>{@code throughput}: {@code bench.tp.events} (20,000) events on Kafka for an account with
 *       {@code bench.tp.endpoints} (5) endpoints: deliveries/s (first to last receipt) and the webhook-service's
 *       peak RSS meanwhile.
 * </ol>
 *
 * Run with {@code e2e-tests/bench/run.sh}.
 */
public final class E2eBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PHASES =
            Set.of(System.getProperty("bench.phases", "idle,created,throughput").split(","));
    private static final int IDLE_SECONDS = Integer.getInteger("bench.idle.seconds", 15);
    private static final int RATE = Integer.getInteger("bench.e2e.rate", 50);
    private static final int SECONDS = Integer.getInteger("bench.e2e.seconds", 20);
    private static final int WARMUP = Integer.getInteger("bench.e2e.warmup", 30);
    private static final int TP_EVENTS = Integer.getInteger("bench.tp.events", 20_000);
    private static final int TP_ENDPOINTS = Integer.getInteger("bench.tp.endpoints", 5);
    /** The endpoints' {@code rate_limit}; unset: none, so the platform's default applies (as for a newcomer). */
    private static final Integer TP_RATE_LIMIT = Integer.getInteger("bench.tp.rate-limit");

    private final BenchFigures figures = BenchFigures.fromEnvironment();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newFixedThreadPool(4, daemon("bench-http")))
            .build();
    private Platform platform;
    private Receiver receiver;
    private Floors.Set floors;

    public static void main(String[] args) {
        int status = 0;
        try {
            new E2eBench().run();
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            status = 1;
        }
        System.exit(status); // stops the platform too (Platform's shutdown hook)
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        platform = Platform.forBenchmark();
        System.out.printf(
                "platform ready in %.0f s (gateway %s); load average %s%n",
                (System.nanoTime() - started) / 1e9, platform.gatewayUrl(), BenchFigures.loadAverage());
        receiver = Receiver.start();
        if (PHASES.contains("idle")) {
            idleRss();
        }
        floors = Floors.measure(
                "127.0.0.1:" + platform.env("CN_KAFKA_PORT"),
                "jdbc:postgresql://" + platform.env("CN_DB_HOST") + ":" + platform.env("CN_DB_PORT") + "/"
                        + Topology.WEBHOOK.database(platform.env("CN_DB_PREFIX")),
                platform.env("CN_DB_USER"),
                platform.env("CN_DB_PASSWORD"),
                receiver.url("/floor"));
        floors.record(figures, "e2e: ");
        if (PHASES.contains("created")) {
            serverCreated();
        }
        if (PHASES.contains("throughput")) {
            throughput();
        }
        receiver.close();
    }

    /** Every service's RSS after start-up and IDLE_SECONDS without traffic. */
    private void idleRss() throws Exception {
        Thread.sleep(IDLE_SECONDS * 1000L); // the quiet period itself is what is measured: nothing to await
        for (Topology.Service s : Topology.SERVICES) {
            long kib = ServiceProcess.rssKib(pid(s));
            figures.record(
                    "e2e: " + s.module() + " RSS idle (as run-platform.sh runs it)", kib / 1024.0, "MB", "< 200", null);
        }
    }

    /** POST /v2/servers answered -> its server.created webhook received, paced at RATE/s. */
    private void serverCreated() throws Exception {
        Account account = account("bench-created");
        createEndpoint(account, receiver.url("/created"), List.of("server.created"), null);
        Map<String, Long> answeredAt = new ConcurrentHashMap<>();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Double> answerMillis = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        Set<String> measured = ConcurrentHashMap.newKeySet();
        int total = RATE * (WARMUP + SECONDS);
        int warmup = RATE * WARMUP;
        List<CompletableFuture<?>> calls = new ArrayList<>();
        long interval = 1_000_000_000L / RATE;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing, not a wait for a condition
            }
            boolean counted = i >= warmup;
            long sent = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/v2/servers"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + account.key())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench-" + i
                            + "\",\"region\":\"us-east-1\",\"plan\":\"starter\"," + "\"image\":\"ubuntu-22.04\"}"))
                    .build();
            calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        long at = System.nanoTime();
                        if (error != null || response.statusCode() != 201) {
                            failures.incrementAndGet();
                            System.out.println("POST /v2/servers failed: "
                                    + (error != null ? error : response.statusCode() + " " + response.body()));
                            return;
                        }
                        try {
                            String id =
                                    JSON.readTree(response.body()).path("id").asText();
                            answeredAt.put(id, at);
                            sentAt.put(id, sent);
                            if (counted) {
                                measured.add(id);
                                answerMillis.add((at - sent) / 1e6);
                            }
                        } catch (IOException e) {
                            failures.incrementAndGet();
                        }
                    }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null)
                .join();
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!receiver.createdAt.keySet().containsAll(measured)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("server.created webhooks missing for "
                        + measured.stream()
                                .filter(id -> !receiver.createdAt.containsKey(id))
                                .count() + " of " + measured.size() + " servers after 3 minutes");
            }
            Thread.sleep(100);
        }
        double[] latencies = measured.stream()
                .mapToDouble(id -> (receiver.createdAt.get(id) - answeredAt.get(id)) / 1e6)
                .toArray();
        double[] fromSent = measured.stream()
                .mapToDouble(id -> (receiver.createdAt.get(id) - sentAt.get(id)) / 1e6)
                .toArray();
        double[] answers =
                answerMillis.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf(
                "created: %d POSTs in %.1f s (%d failed), %d measured; answer -> webhook p50 %.1f ms, p99 %.1f ms,"
                        + " max %.1f ms; POST answered p50 %.1f ms, p99 %.1f ms; POST sent -> webhook p50 %.1f ms,"
                        + " p99 %.1f ms%n",
                total,
                sendSeconds,
                failures.get(),
                measured.size(),
                Floors.percentile(latencies, 50),
                Floors.percentile(latencies, 99),
                Floors.percentile(latencies, 100),
                Floors.percentile(answers, 50),
                Floors.percentile(answers, 99),
                Floors.percentile(fromSent, 50),
                Floors.percentile(fromSent, 99));
        String name = String.format(
                "e2e: POST /v2/servers answered -> server.created webhook received, %d req/s through the gateway",
                RATE);
        figures.record(name + " p50", Floors.percentile(latencies, 50), "ms", null, floors.pipeline(50));
        figures.record(name + " p99", Floors.percentile(latencies, 99), "ms", "< 100", floors.pipeline(99));
        figures.record(
                String.format("e2e: POST /v2/servers answered through the gateway, %d req/s, p50", RATE),
                Floors.percentile(answers, 50),
                "ms");
        figures.record(
                String.format("e2e: POST /v2/servers answered through the gateway, %d req/s, p99", RATE),
                Floors.percentile(answers, 99),
                "ms");
        figures.record(
                String.format("e2e: POST /v2/servers sent -> server.created webhook received, %d req/s, p99", RATE),
                Floors.percentile(fromSent, 99),
                "ms");
        figures.record("e2e: POST /v2/servers failed (of " + total + ")", failures.get(), "requests", "= 0", null);
    }

    /** TP_EVENTS events on Kafka for one account with TP_ENDPOINTS endpoints: sustained deliveries/s. */
    private void throughput() throws Exception {
        Account account = account("bench-throughput");
        for (int i = 0; i < TP_ENDPOINTS; i++) {
            createEndpoint(account, receiver.url("/tp/" + i), List.of("server.*"), TP_RATE_LIMIT);
        }
        long webhookPid = pid(Topology.WEBHOOK);
        AtomicLong maxRss = new AtomicLong();
        Thread sampler = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        maxRss.accumulateAndGet(ServiceProcess.rssKib(webhookPid), Math::max);
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        receiver.resetThroughput();
        long expected = (long) TP_EVENTS * TP_ENDPOINTS;
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < TP_EVENTS; i++) {
                String server = "srv_bench" + (i % 256);
                byte[] data = ("{\"server_id\":\"" + server
                                + "\",\"region\":\"us-east-1\",\"status\":\"running\",\"ip\":\"203.0.113." + (i % 250)
                                + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                producer.send(event(account.id(), server, data));
            }
            producer.flush();
        }
        System.out.printf("throughput: %d events produced in %.1f s%n", TP_EVENTS, (System.nanoTime() - start) / 1e9);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        long last = -1;
        Instant lastProgress = Instant.now();
        while (receiver.tpCount.get() < expected) {
            long now = receiver.tpCount.get();
            if (now != last) {
                last = now;
                lastProgress = Instant.now();
            }
            if (Instant.now().isAfter(deadline) || Instant.now().isAfter(lastProgress.plusSeconds(60))) {
                throw new IllegalStateException("only " + now + " of " + expected + " deliveries arrived");
            }
            Thread.sleep(100);
        }
        sampler.interrupt();
        double seconds = (receiver.tpLast.get() - receiver.tpFirst.get()) / 1e9;
        double rate = receiver.tpCount.get() / seconds;
        System.out.printf(
                "throughput: %d deliveries (and %d duplicates) in %.1f s (first to last receipt): %.0f/s;"
                        + " incl. produce %.0f/s%n",
                receiver.tpCount.get(),
                receiver.tpDuplicates.get(),
                seconds,
                rate,
                receiver.tpCount.get() * 1e9 / (receiver.tpLast.get() - start));
        figures.record(
                String.format(
                        "e2e: local platform deliveries/s (%d endpoints x %,d events, rate_limit %s)",
                        TP_ENDPOINTS, TP_EVENTS, TP_RATE_LIMIT == null ? "the default" : TP_RATE_LIMIT + "/s each"),
                rate,
                "deliveries/s",
                ">= 5000",
                null);
        figures.record(
                "e2e: webhook-service RSS under load (max, as run-platform.sh runs it)",
                maxRss.get() / 1024.0,
                "MB",
                "< 400",
                null);
    }

    private ProducerRecord<String, byte[]> event(String account, String subject, byte[] data) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.COMPUTE_EVENTS, subject, data);
        header(record, CloudEventHeaders.SPECVERSION, "1.0");
        header(record, CloudEventHeaders.ID, EventIds.newId());
        header(record, CloudEventHeaders.TYPE, "server.provisioned");
        header(record, CloudEventHeaders.SOURCE, "/cloudnexus/bench");
        header(record, CloudEventHeaders.TIME, EventEnvelope.formatTimestamp(Instant.now()));
        header(record, CloudEventHeaders.SUBJECT, subject);
        header(record, CloudEventHeaders.ACCOUNT_ID, account);
        return record;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + platform.env("CN_KAFKA_PORT"));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private record Account(String id, String key) {}

    /** A new enterprise account (rate limit out of the way) and a read/write key, through the admin API. */
    private Account account(String name) throws Exception {
        JsonNode account = post(
                "/admin/accounts",
                Platform.OPERATOR_KEY,
                Map.of("name", name, "tier", "enterprise", "custom_rate_limit", 1_000_000_000));
        String id = account.path("id").asText();
        JsonNode key = post(
                "/admin/accounts/" + id + "/keys",
                Platform.OPERATOR_KEY,
                Map.of("name", name, "scopes", List.of("read", "write")));
        return new Account(id, key.path("key").asText());
    }

    private void createEndpoint(Account account, String url, List<String> events, Integer rateLimit) throws Exception {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("url", url, "events", events));
        if (rateLimit != null) {
            body.put("rate_limit", rateLimit);
        }
        post("/v2/webhooks", account.key(), body);
    }

    private JsonNode post(String path, String credential, Object body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + credential)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(
                    "POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** A service's pid, as the launcher recorded it ({@code <local>/pids/<module>.pid}). */
    private long pid(Topology.Service service) throws IOException {
        return Long.parseLong(
                Files.readString(platform.localDir().resolve("pids").resolve(service.module() + ".pid"))
                        .trim());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The webhook receiver: answers 200 at once; for {@code /created} it reads the envelope and records when each
     * server's {@code server.created} arrived; for {@code /tp/...} it counts, with the first and last arrival.
     */
    static final class Receiver implements AutoCloseable {

        final Map<String, Long> createdAt = new ConcurrentHashMap<>();
        final AtomicLong tpCount = new AtomicLong();
        final AtomicLong tpFirst = new AtomicLong();
        final AtomicLong tpLast = new AtomicLong();
        /** Repeated (path, webhook-id) receipts: counted apart, not in {@link #tpCount}. */
        final AtomicLong tpDuplicates = new AtomicLong();

        private final Set<String> tpSeen = ConcurrentHashMap.newKeySet();
        private final HttpServer server;
        private final ExecutorService executor;

        private Receiver(HttpServer server, ExecutorService executor) {
            this.server = server;
            this.executor = executor;
        }

        static Receiver start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
            ExecutorService executor = Executors.newFixedThreadPool(32, daemon("bench-receiver"));
            Receiver receiver = new Receiver(server, executor);
            server.createContext("/", receiver::handle);
            server.setExecutor(executor);
            server.start();
            return receiver;
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        void resetThroughput() {
            tpCount.set(0);
            tpFirst.set(0);
            tpLast.set(0);
            tpDuplicates.set(0);
            tpSeen.clear();
        }

        private void handle(HttpExchange exchange) throws IOException {
            long at = System.nanoTime();
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (path.startsWith("/created")) {
                JsonNode envelope = JSON.readTree(body);
                if ("server.created".equals(envelope.path("event").asText())) {
                    createdAt.putIfAbsent(
                            envelope.path("data").path("server_id").asText(), at);
                }
            } else if (path.startsWith("/tp/")) {
                if (!tpSeen.add(path + " " + exchange.getRequestHeaders().getFirst("webhook-id"))) {
                    tpDuplicates.incrementAndGet();
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                    return;
                }
                tpFirst.compareAndSet(0, at);
                tpLast.accumulateAndGet(at, Math::max);
                tpCount.incrementAndGet();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
