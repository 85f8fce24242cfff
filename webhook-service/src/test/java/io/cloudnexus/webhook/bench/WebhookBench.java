package io.cloudnexus.webhook.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceProcess;
import io.cloudnexus.testsupport.bench.BenchFigures;
import io.cloudnexus.testsupport.bench.Floors;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The delivery-engine benchmark (not a test): starts an in-process Kafka broker, a fresh database, a fast
 * Vert.x receiver and the packaged webhook-service in its own JVM, then measures the targets and
 * prints each figure. Run with {@code webhook-service/bench/run.sh}.
 */
public final class WebhookBench {

    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 64);
    private static final int THROUGHPUT_EVENTS = Integer.getInteger("bench.events", 2000);
    private static final int THROUGHPUT_ENDPOINTS = Integer.getInteger("bench.endpoints", 50);
    private static final int LATENCY_RATE = Integer.getInteger("bench.latency.rate", 1000);
    private static final int LATENCY_SECONDS = Integer.getInteger("bench.latency.seconds", 10);
    private static final int FANOUT = Integer.getInteger("bench.fanout", 10_000);
    /** How long the fan-out phase waits for every delivery (attempts that timed out wait for their retry). */
    private static final int FANOUT_WAIT_SECONDS = Integer.getInteger("bench.fanout.wait", 300);

    private static final java.util.Set<String> PHASES =
            java.util.Set.of(System.getProperty("bench.phases", "throughput,latency,latency1,hanging,fanout")
                    .split(","));
    private static final int IDLE_SECONDS = Integer.getInteger("bench.idle.seconds", 10);
    private static final int LATENCY_ENDPOINTS = Integer.getInteger("bench.latency.endpoints", 10);

    private final List<String> report = new ArrayList<>();
    private final AtomicLong maxRss = new AtomicLong();
    private final BenchFigures figures = BenchFigures.fromEnvironment();
    private Floors.Set floors;
    private KafkaProducer<String, byte[]> producer;
    private BenchReceiver receiver;
    private ServiceProcess service;

    public static void main(String[] args) {
        int status = 0;
        try {
            new WebhookBench().run();
        } catch (Exception e) {
            e.printStackTrace(System.out);
            status = 1;
        }
        System.exit(status); // the in-process broker's threads would keep the JVM alive
    }

    private void run() throws Exception {
        BenchStack stack = BenchStack.start("cn_bench_webhook");
        // before the service: its consumer finds new topics only at its metadata refresh (30 s), which a phase run
        // alone (-Dbench.phases=latency or fanout) would otherwise measure
        stack.createTopics(List.of("compute.events"));
        String jdbcUrl = stack.jdbcUrl;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        receiver = new BenchReceiver(vertx);
        producer = BenchStack.producer(stack.bootstrap);
        service = BenchStack.startService(stack.service("webhook-service-bench", "service.jfr")
                .property("quarkus.datasource.jdbc.max-size", "16")
                .property("cloudnexus.webhooks.outbound.allow-http", "true")
                .property("cloudnexus.webhooks.outbound.allow-private", "true")
                .property("cloudnexus.webhooks.outbound.max-connections-per-host", Integer.toString(CONNECTIONS))
                .property("cloudnexus.webhooks.lane.rate-per-second", "100000")
                .property("cloudnexus.webhooks.lane.burst", "100000")
                .property("mp.messaging.incoming.webhook-events.metadata.max.age.ms", "1000")
                // the fan-out phase gives one account FANOUT endpoints (the default cap is 100 per account)
                .property(
                        "cloudnexus.webhooks.endpoints.max-per-account",
                        Integer.toString(Math.max(FANOUT, THROUGHPUT_ENDPOINTS))));
        Thread rss = new Thread(this::sampleRss, "rss-sampler");
        rss.setDaemon(true);
        rss.start();
        try {
            report("load average at start: " + loadAverage());
            idleRss();
            floors = Floors.measure(
                    stack.bootstrap,
                    jdbcUrl,
                    PostgresDatabaseResource.user(),
                    PostgresDatabaseResource.password(),
                    receiver.url("/floor"));
            floors.record(figures, "webhook bench: ");
            double sustained = 0;
            if (PHASES.contains("throughput")) {
                warmUp(vertx);
                double rawBefore = rawRate(vertx);
                sustained = throughput();
                double rawAfter = rawRate(vertx);
                double raw = (rawBefore + rawAfter) / 2;
                report(String.format(
                        "raw rate of the same Vert.x HTTP client posting straight to the receiver (%d connections): "
                                + "%.0f req/s before, %.0f after the throughput run",
                        CONNECTIONS, rawBefore, rawAfter));
                report(String.format("ratio delivered/raw: %.2f (target >= 0.5)", sustained / raw));
                figures.record("webhook bench: raw HTTP client rate to the receiver", raw, "req/s");
                figures.record("webhook bench: ratio delivered/raw rate", sustained / raw, "x", ">= 0.5", null);
            }
            if (PHASES.contains("latency")) {
                awaitOutcomesWritten(jdbcUrl);
                latency(LATENCY_ENDPOINTS);
            }
            if (PHASES.contains("latency1")) {
                awaitOutcomesWritten(jdbcUrl);
                latency(1);
            }
            if (PHASES.contains("hanging") && sustained > 0) {
                awaitOutcomesWritten(jdbcUrl);
                hanging(sustained);
            }
            if (PHASES.contains("fanout")) {
                fanout();
            }
            report(String.format(
                    "webhook-service max RSS under load: %d MB (target < 400 MB)", maxRss.get() / (1024 * 1024)));
            figures.record(
                    "webhook bench: webhook-service RSS under load (max, -Xmx512m)",
                    maxRss.get() / (1024.0 * 1024),
                    "MB",
                    "< 400",
                    null);
        } finally {
            System.out.println();
            System.out.println(
                    "==== webhook-service benchmark (" + Runtime.getRuntime().availableProcessors() + " cores) ====");
            report.forEach(System.out::println);
            service.stop();
            producer.close();
            receiver.close();
        }
    }

    /** The same HTTP client, posting a typical envelope straight to the same receiver. */
    private double rawRate(Vertx vertx) throws Exception {
        io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setMaxPoolSize(CONNECTIONS)
                .setKeepAlive(true)
                .setTcpNoDelay(true));
        byte[] body = EventEnvelope.create(
                        "server.provisioned",
                        io.cloudnexus.contracts.CanonicalJson.parse(
                                "{\"server_id\":\"srv_raw\",\"region\":\"us-east-1\",\"status\":\"running\",\"ip\":\"203.0.113.1\"}"))
                .toJsonBytes();
        URI uri = URI.create(receiver.url("/raw"));
        BenchReceiver.Recorder rec = receiver.reset();
        int total = 100_000;
        AtomicLong done = new AtomicLong();
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        AtomicLong issued = new AtomicLong();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (issued.incrementAndGet() > total) {
                return;
            }
            client.request(new RequestOptions()
                            .setMethod(HttpMethod.POST)
                            .setHost(uri.getHost())
                            .setPort(uri.getPort())
                            .setURI(uri.getPath())
                            .putHeader("Content-Type", "application/json"))
                    .compose(req -> req.send(Buffer.buffer(body)))
                    .compose(resp -> resp.body())
                    .onComplete(ar -> {
                        if (done.incrementAndGet() == total) {
                            finished.countDown();
                        }
                        next[0].run();
                    });
        };
        long start = System.nanoTime();
        for (int i = 0; i < CONNECTIONS * 4; i++) {
            vertx.runOnContext(v -> next[0].run());
        }
        finished.await();
        double rate = total * 1e9 / (System.nanoTime() - start);
        client.close();
        return rate;
    }

    /** N events for M endpoints, produced as fast as possible: sustained deliveries/s and latency. */
    private double throughput() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < THROUGHPUT_ENDPOINTS; i++) {
            urls.add(receiver.url("/tp/" + i));
        }
        createEndpoints(account, urls);
        BenchReceiver.Recorder rec = receiver.reset();
        int expected = THROUGHPUT_EVENTS * THROUGHPUT_ENDPOINTS;
        ServiceMetrics before = metricsNow();
        double cpuBefore = serviceCpuSeconds();
        long start = System.nanoTime();
        for (int i = 0; i < THROUGHPUT_EVENTS; i++) {
            publish(account, "srv_tp" + (i % 64), i);
        }
        producer.flush();
        awaitCount(rec, expected, Duration.ofMinutes(5));
        double rate = rec.perSecond();
        double cpu = serviceCpuSeconds() - cpuBefore;
        report(String.format(
                "throughput run: webhook-service used %.1f CPU-seconds in %.1f s wall = %.0f µs CPU per delivery "
                        + "(the rest of the 2 cores: Kafka broker, receiver, producer, PostgreSQL and other processes)",
                cpu, (System.nanoTime() - start) / 1e9, cpu * 1e6 / rec.count.get()));
        figures.record(
                "webhook bench: webhook-service CPU per delivery", cpu * 1e6 / rec.count.get(), "us", "<= 50", null);
        report(String.format(
                "throughput: %d events x %d endpoints = %d deliveries in %.1f s (first to last receipt): "
                        + "%.0f deliveries/s sustained (target >= 15,000); end-to-end incl. produce: %.0f/s; load average %s",
                THROUGHPUT_EVENTS,
                THROUGHPUT_ENDPOINTS,
                rec.count.get(),
                (rec.last.get() - rec.first.get()) / 1e9,
                rate,
                rec.count.get() * 1e9 / (rec.last.get() - start),
                loadAverage()));
        figures.record(
                String.format(
                        "webhook bench: sustained deliveries/s (%,d events x %d endpoints)",
                        THROUGHPUT_EVENTS, THROUGHPUT_ENDPOINTS),
                rate,
                "deliveries/s",
                ">= 15000",
                null);
        diagnostics(before);
        report(String.format(
                "throughput run event-to-receipt latency: p50 %.1f ms, p99 %.1f ms (saturated: includes queueing)",
                rec.latencies.percentileMillis(50), rec.latencies.percentileMillis(99)));
        return rate;
    }

    /** Waits until the service has written every outcome of the previous phase (no pending rows), so phases do not overlap. */
    private static void awaitOutcomesWritten(String jdbcUrl) throws Exception {
        long start = System.nanoTime();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                jdbcUrl, PostgresDatabaseResource.user(), PostgresDatabaseResource.password())) {
            while (true) {
                try (java.sql.ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM webhook_delivery WHERE status = 'pending'")) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        break;
                    }
                }
                Thread.sleep(200);
            }
        }
        System.out.printf(
                "previous phase's outcomes written %.1f s after its last receipt%n", (System.nanoTime() - start) / 1e9);
    }

    /** JIT warm-up of both sides (not measured): the raw client once, and 300 events x the throughput endpoints. */
    private void warmUp(Vertx vertx) throws Exception {
        rawRate(vertx);
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < THROUGHPUT_ENDPOINTS; i++) {
            urls.add(receiver.url("/warm/" + i));
        }
        createEndpoints(account, urls);
        BenchReceiver.Recorder rec = receiver.reset();
        for (int i = 0; i < 300; i++) {
            publish(account, "srv_warm" + (i % 64), i);
        }
        producer.flush();
        awaitCount(rec, 300L * THROUGHPUT_ENDPOINTS, Duration.ofMinutes(5));
        System.out.printf("warm-up: %d deliveries at %.0f/s (not reported)%n", rec.count.get(), rec.perSecond());
    }

    /**
     * Paced at LATENCY_RATE events/s over {@code endpoints} endpoints (each in its own account, so one delivery per
     * event): event-to-receipt percentiles. With one endpoint, every event goes to the same endpoint (its lane).
     */
    private void latency(int endpoints) throws Exception {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            String account = ResourceIds.newId(ResourceIds.ACCOUNT);
            accounts.add(account);
            createEndpoints(account, List.of(receiver.url("/lat" + endpoints + "/" + i)));
        }
        // warm-up: the same traffic for 3 s, not measured (topic discovery, JIT, connections)
        BenchReceiver.Recorder warm = receiver.reset();
        paced(accounts, LATENCY_RATE * 3);
        awaitCount(warm, LATENCY_RATE * 3L, Duration.ofMinutes(2));
        report(String.format(
                "latency warm-up (%d events at %d/s): p50 %.1f ms, p99 %.1f ms",
                LATENCY_RATE * 3,
                LATENCY_RATE,
                warm.latencies.percentileMillis(50),
                warm.latencies.percentileMillis(99)));
        ServiceMetrics before = metricsNow();
        BenchReceiver.Recorder rec = receiver.reset();
        int total = LATENCY_RATE * LATENCY_SECONDS;
        paced(accounts, total);
        awaitCount(rec, total, Duration.ofMinutes(2));
        diagnostics(before);
        report(String.format(
                "latency at %d events/s for %d s (%d endpoints in %d accounts, one delivery per event): "
                        + "p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 50 ms); load average %s",
                LATENCY_RATE,
                LATENCY_SECONDS,
                endpoints,
                endpoints,
                rec.latencies.percentileMillis(50),
                rec.latencies.percentileMillis(99),
                rec.latencies.percentileMillis(100),
                loadAverage()));
        String name = String.format(
                "webhook bench: event on Kafka -> webhook received at %,d events/s, %s",
                LATENCY_RATE, endpoints == 1 ? "all to ONE endpoint" : "over " + endpoints + " endpoints");
        figures.record(name + " p50", rec.latencies.percentileMillis(50), "ms", null, floors.pipeline(50));
        figures.record(name + " p99", rec.latencies.percentileMillis(99), "ms", "< 50", floors.pipeline(99));
    }

    /** The service's RSS after start-up and {@code bench.idle.seconds} without traffic. */
    private void idleRss() throws InterruptedException {
        Thread.sleep(IDLE_SECONDS * 1000L); // the quiet period itself is what is measured: nothing to await
        long kib = ServiceProcess.rssKib(service.pid());
        report(String.format("webhook-service RSS idle after start-up + %d s: %d MB", IDLE_SECONDS, kib / 1024));
        figures.record("webhook bench: webhook-service RSS idle (-Xmx512m)", kib / 1024.0, "MB", "< 200", null);
    }

    private void paced(List<String> accounts, int total) {
        long intervalNanos = 1_000_000_000L / LATENCY_RATE;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait); // no busy wait: the machine has 2 cores
            }
            publish(accounts.get(i % accounts.size()), "srv_lat" + (i % 64), i);
        }
    }

    /** The throughput run again with 10% of the endpoints hanging. */
    private void hanging(double baseline) throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        int hangingCount = THROUGHPUT_ENDPOINTS / 10;
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < THROUGHPUT_ENDPOINTS; i++) {
            urls.add(i < hangingCount ? receiver.hangingUrl("/hang/" + i) : receiver.url("/ok/" + i));
        }
        createEndpoints(account, urls);
        BenchReceiver.Recorder rec = receiver.reset();
        int healthy = THROUGHPUT_ENDPOINTS - hangingCount;
        for (int i = 0; i < THROUGHPUT_EVENTS; i++) {
            publish(account, "srv_hang" + (i % 64), i);
        }
        producer.flush();
        awaitCount(rec, THROUGHPUT_EVENTS * healthy, Duration.ofMinutes(5));
        double perHealthy = rec.perSecond() / healthy;
        double basePerEndpoint = baseline / THROUGHPUT_ENDPOINTS;
        figures.record(
                "webhook bench: healthy endpoints' rate with 10% hanging, vs none",
                100 * perHealthy / basePerEndpoint, "%", ">= 90", null);
        report(String.format(
                "10%% hanging endpoints (%d of %d): healthy endpoints got %.0f deliveries/s = %.0f per endpoint vs "
                        + "%.0f without hanging ones: %.0f%% (target >= 90%%)",
                hangingCount,
                THROUGHPUT_ENDPOINTS,
                rec.perSecond(),
                perHealthy,
                basePerEndpoint,
                100 * perHealthy / basePerEndpoint));
    }

    /** One event to FANOUT endpoints. */
    private void fanout() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < FANOUT; i++) {
            urls.add(receiver.url("/fan/" + i));
        }
        long created = System.nanoTime();
        createEndpoints(account, urls);
        System.out.printf("created %d endpoints in %.1f s%n", FANOUT, (System.nanoTime() - created) / 1e9);
        Thread.sleep(1000);
        ServiceMetrics before = metricsNow();
        BenchReceiver.Recorder rec = receiver.reset();
        long start = System.nanoTime();
        publish(account, "srv_fan", 0);
        producer.flush();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(FANOUT_WAIT_SECONDS));
        while (rec.count.get() < FANOUT && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        if (rec.count.get() < FANOUT) {
            // a figure all the same: how many arrived (attempts that timed out wait for their retry)
            diagnostics(before);
            report(String.format(
                    "one event to %d endpoints: only %d delivered within %d s (target: all < 2 s); load average %s",
                    FANOUT, rec.count.get(), FANOUT_WAIT_SECONDS, loadAverage()));
            figures.record(
                    String.format(
                            "webhook bench: one event to %,d endpoints, delivered within %d s",
                            FANOUT, FANOUT_WAIT_SECONDS),
                    rec.count.get(),
                    "deliveries",
                    "= " + FANOUT,
                    null);
            return;
        }
        diagnostics(before);
        report(String.format(
                "one event to %d endpoints: first delivered %.2f s, half %.2f s, all %.2f s after publishing "
                        + "(target: all < 2 s); load average %s",
                FANOUT,
                (rec.first.get() - start) / 1e9,
                rec.latencies.percentileMillis(50) / 1e3,
                (rec.last.get() - start) / 1e9,
                loadAverage()));
        figures.record(
                String.format("webhook bench: one event to %,d endpoints, all delivered", FANOUT),
                (rec.last.get() - start) / 1e9,
                "s",
                "< 2",
                null);
    }

    private void publish(String account, String subject, int n) {
        String id = EventIds.newId();
        byte[] data = ("{\"server_id\":\"" + subject
                        + "\",\"region\":\"us-east-1\",\"status\":\"running\",\"ip\":\"203.0.113." + (n % 250) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> record =
                BenchStack.event("compute.events", id, "server.provisioned", subject, account, data);
        receiver.publishedAt.put(id, System.nanoTime());
        producer.send(record);
    }

    private void createEndpoints(String account, List<String> urls) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .executor(Executors.newFixedThreadPool(4))
                .build();
        // a token lives 60 s and 10,000 endpoints take longer on a busy machine: a fresh token every 30 s
        java.util.concurrent.atomic.AtomicReference<String> token =
                new java.util.concurrent.atomic.AtomicReference<>(IdentityTokens.forAccount(account));
        AtomicLong mintedAt = new AtomicLong(System.nanoTime());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (String url : urls) {
            results.add(pool.submit(() -> {
                long minted = mintedAt.get();
                if (System.nanoTime() - minted > 30_000_000_000L && mintedAt.compareAndSet(minted, System.nanoTime())) {
                    token.set(IdentityTokens.forAccount(account));
                }
                return http.send(
                                HttpRequest.newBuilder(URI.create(service.url("/webhooks")))
                                        .timeout(Duration.ofSeconds(60))
                                        .header("Authorization", "Bearer " + token.get())
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"url\":\"" + url + "\",\"events\":[\"server.*\"]}"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            }));
        }
        for (Future<Integer> f : results) {
            if (f.get() != 201) {
                throw new IllegalStateException("endpoint creation answered " + f.get());
            }
        }
        pool.shutdown();
    }

    private static void awaitCount(BenchReceiver.Recorder rec, long expected, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (rec.count.get() < expected) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("only " + rec.count.get() + " of " + expected + " deliveries arrived");
            }
            Thread.sleep(20);
        }
    }

    private void sampleRss() {
        while (true) {
            long kib = ServiceProcess.rssKib(service.pid());
            if (kib > 0) {
                maxRss.accumulateAndGet(kib * 1024, Math::max);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The service's metrics now (cumulative since it started), to diff a phase against; empty if unavailable. */
    private ServiceMetrics metricsNow() {
        try {
            return ServiceMetrics.parse(HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(service.url("/q/metrics")))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
        } catch (Exception e) {
            System.out.println("  [service] metrics unavailable: " + e.getMessage());
            return ServiceMetrics.empty();
        }
    }

    /**
     * The service's own view of the phase that started at {@code before} (printed, not reported): the per-poll
     * ingest, the in-memory wait and the attempt, each diffed against {@code before} so the warm-up and earlier
     * phases are left out; the Kafka client's own windowed averages as they are now.
     */
    private void diagnostics(ServiceMetrics before) {
        ServiceMetrics after = metricsNow();
        List<String> lines = new ArrayList<>();
        double polls = after.delta(before, "webhook_ingest_records_count");
        if (polls > 0) {
            lines.add(String.format(
                    "polls with records (this phase): %.0f, %.1f records per poll",
                    polls, after.delta(before, "webhook_ingest_records_sum") / polls));
        }
        lines.addAll(after.timerSince(before, "webhook_ingest_seconds"));
        lines.addAll(after.timerSince(before, "webhook_lane_wait_seconds"));
        lines.addAll(after.timerSince(before, "webhook_attempt_seconds"));
        lines.addAll(after.gauges("fetch_latency_avg"));
        lines.addAll(after.gauges("records_per_request_avg"));
        lines.addAll(after.gauges("commit_latency_avg"));
        lines.forEach(l -> System.out.println("  [service] " + l));
    }

    /** utime + stime of the service process. */
    private double serviceCpuSeconds() {
        return BenchStack.cpuSeconds(service.pid());
    }

    private static String loadAverage() {
        return BenchStack.loadAverage();
    }

    private void report(String line) {
        System.out.println(line);
        report.add(line);
    }
}
