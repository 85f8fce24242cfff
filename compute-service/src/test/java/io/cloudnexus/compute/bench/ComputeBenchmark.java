package io.cloudnexus.compute.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.postgresql.ds.PGSimpleDataSource;

import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.eventstore.outbox.OutboxRelay;
import io.cloudnexus.eventstore.outbox.OutboxTable;
import io.cloudnexus.eventstore.outbox.RelaySettings;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * Benchmark harness (not a test): prints (1) the outbox relay's publish rate draining a backlog of events into a
 * real Kafka broker, and (2) POST /servers latency at a steady request rate against the packaged compute-service
 * in its own JVM, with a real broker and PostgreSQL. Run with {@code compute-service/bench/run.sh}.
 *
 * <p>System properties: {@code bench.events} (default 50000), {@code bench.rate} (requests/s, 200),
 * {@code bench.seconds} (measured seconds, 30), {@code bench.warmup} (seconds at half the rate, 10), {@code bench.relay-batch}
 * (relay batch size, 1000), {@code bench.only} ({@code relay} or {@code create}).
 */
public final class ComputeBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.events", 50_000);
    private static final int RATE = Integer.getInteger("bench.rate", 200);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 10);
    private static final int RELAY_BATCH = Integer.getInteger("bench.relay-batch", 1000);

    private ComputeBenchmark() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = KafkaBrokerResource.startBroker();
        try {
            String only = System.getProperty("bench.only", "");
            if (!only.equals("create")) {
                relay(bootstrap);
            }
            if (!only.equals("relay")) {
                createLatency(bootstrap);
            }
        } finally {
            new KafkaBrokerResource().stop();
        }
        System.exit(0);
    }

    // ---- (1) relay publish rate ----

    private static void relay(String bootstrap) throws Exception {
        PGSimpleDataSource ds = dataSource(PostgresDatabaseResource.recreate("cn_bench_relay"));
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                InputStream in = ComputeBenchmark.class
                        .getClassLoader()
                        .getResourceAsStream("db/event-store/V1__event_store.sql")) {
            s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        RelaySettings settings = new RelaySettings(
                OutboxTable.EVENT_STORE,
                "bench.compute.events",
                "/cloudnexus/compute-service",
                bootstrap,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                RELAY_BATCH,
                99,
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Map.of());
        drain(ds, settings, 5_000, "warm-up");
        double rate = drain(ds, settings, EVENTS, "measured");
        System.out.printf(
                "RELAY: %d events published in order to Kafka at %.0f events/s (target >= 5000)%n", EVENTS, rate);
    }

    /** Appends {@code n} unpublished events (10 per server), then times a fresh relay until all are published. */
    private static double drain(PGSimpleDataSource ds, RelaySettings settings, int n, String label) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_store (event_id, account_id, "
                    + "aggregate_type, aggregate_id, version, type, data, occurred_at) VALUES (?, 'acc_bench', 'server', "
                    + "?, ?, 'server.scaled', ?::jsonb, ?)")) {
                String server = null;
                for (int i = 0; i < n; i++) {
                    if (i % 10 == 0) {
                        server = ResourceIds.newId(ResourceIds.SERVER);
                    }
                    ps.setString(1, EventIds.newId());
                    ps.setString(2, server);
                    ps.setInt(3, i % 10 + 1);
                    ps.setString(
                            4,
                            "{\"server_id\":\"" + server + "\",\"previous_plan\":\"starter\","
                                    + "\"plan\":\"professional\",\"region\":\"us-east-1\"}");
                    ps.setTimestamp(5, Timestamp.from(Instant.now()));
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
        long start = System.nanoTime();
        try (OutboxRelay relay = new OutboxRelay(ds, settings).start()) {
            while (unpublished(ds) > 0) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("relay %s: %d events in %.2f s%n", label, relay.publishedCount(), seconds);
            return n / seconds;
        }
    }

    private static long unpublished(PGSimpleDataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM event_store WHERE published_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- (2) POST /servers latency at a fixed rate ----

    private static void createLatency(String bootstrap) throws Exception {
        String jdbcUrl = PostgresDatabaseResource.recreate("cn_bench_compute");
        Path key = Files.createTempFile("identity-public", ".pem");
        try (InputStream in =
                ComputeBenchmark.class.getClassLoader().getResourceAsStream("cloudnexus/identity/test-public.pem")) {
            Files.write(key, in.readAllBytes());
        }
        Path jar = Files.isRegularFile(Path.of("target/quarkus-app/quarkus-run.jar"))
                ? Path.of("target/quarkus-app/quarkus-run.jar")
                : Path.of("compute-service/target/quarkus-app/quarkus-run.jar");
        try (ServiceProcess service = ServiceProcess.of(jar, "compute-bench")
                .property("quarkus.datasource.jdbc.url", jdbcUrl)
                .property("kafka.bootstrap.servers", bootstrap)
                .property(
                        "cloudnexus.identity.public-key-location",
                        key.toAbsolutePath().toString())
                .jvmOption("-XX:TieredStopAtLevel=4")
                .jvmOption("-Xmx512m")
                .start()) {
            service.awaitReady(Duration.ofSeconds(90));
            commitLatency(jdbcUrl);
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            run(client, service, RATE / 2, WARMUP, "warm-up"); // half rate: the JIT warms up without a backlog
            Thread.sleep(3000);
            long[] latencies = run(client, service, RATE, SECONDS, "measured");
            Arrays.sort(latencies);
            System.out.printf(
                    "CREATE: POST /servers at %d req/s for %d s (%d requests): p50 %.1f ms, p90 %.1f ms, "
                            + "p99 %.1f ms, max %.1f ms (target p99 < 50 ms)%n",
                    RATE,
                    SECONDS,
                    latencies.length,
                    pct(latencies, 50),
                    pct(latencies, 90),
                    pct(latencies, 99),
                    latencies[latencies.length - 1] / 1e6);
        }
    }

    /** Sends {@code rate} requests per second for {@code seconds}; latency counts from the scheduled send time. */
    private static long[] run(HttpClient client, ServiceProcess service, int rate, int seconds, String label)
            throws Exception {
        int total = rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long[] latencies = new long[total];
        AtomicInteger failures = new AtomicInteger();
        CompletableFuture<?>[] all = new CompletableFuture<?>[total];
        URI uri = URI.create(service.url("/servers"));
        String body = "{\"region\":\"us-east-1\",\"plan\":\"starter\",\"image\":\"ubuntu-22.04\",\"count\":1}";
        String token = IdentityTokens.forAccount("acc_bench");
        long tokenAt = System.nanoTime();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (System.nanoTime() - tokenAt > TimeUnit.SECONDS.toNanos(20)) {
                token = IdentityTokens.forAccount("acc_bench");
                tokenAt = System.nanoTime();
            }
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            int index = i;
            all[i] = client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .handle((response, error) -> {
                        latencies[index] = System.nanoTime() - scheduled;
                        if (error != null || response.statusCode() != 201) {
                            if (failures.incrementAndGet() <= 3) {
                                System.out.println(
                                        "create failure: " + (error != null ? error : "HTTP " + response.statusCode()));
                            }
                        }
                        return null;
                    });
        }
        CompletableFuture.allOf(all).get(60, TimeUnit.SECONDS);
        System.out.printf(
                "create %s: %d requests, %d failed or timed out (10 s; counted with their latency)%n",
                label, total, failures.get());
        return latencies;
    }

    /** Context for the figures: the machine's load and how long one durable PostgreSQL commit takes right now. */
    private static void commitLatency(String jdbcUrl) throws Exception {
        long[] commits = new long[100];
        try (Connection c = dataSource(jdbcUrl).getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_probe (n int)");
            for (int i = 0; i < commits.length; i++) {
                long start = System.nanoTime();
                s.execute("INSERT INTO bench_probe VALUES (" + i + ")");
                commits[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(commits);
        System.out.printf(
                "context: load average %s; one durable PostgreSQL commit: p50 %.1f ms, p99 %.1f ms%n",
                Files.readString(Path.of("/proc/loadavg")).trim(), pct(commits, 50), pct(commits, 99));
    }

    private static double pct(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(System.getProperty("cn.test.pg.user", System.getenv().getOrDefault("CN_TEST_PG_USER", "postgres")));
        ds.setPassword(
                System.getProperty("cn.test.pg.password", System.getenv().getOrDefault("CN_TEST_PG_PASSWORD", "")));
        return ds;
    }
}
