package io.cloudnexus.cluster.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.postgresql.ds.PGSimpleDataSource;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * Benchmark harness (not a test): runs the packaged cluster-service in its own JVM (in-JVM Kafka broker, local
 * PostgreSQL, simulators without delays) and prints (1) POST /clusters/k8s latency with {@code bench.clients}
 * concurrent clients, (2) how fast the node joiner records cluster.node.joined for all those nodes and the outbox
 * publishes everything, (3) POST deployments latency and how fast their outcomes are recorded. Run with
 * {@code cluster-service/bench/run.sh}. System properties: {@code bench.clusters} (200), {@code bench.nodes}
 * (nodes per cluster, 5), {@code bench.deployments} (1000), {@code bench.clients} (4).
 */
public final class ClusterBenchmark {

    private static final int CLUSTERS = Integer.getInteger("bench.clusters", 200);
    private static final int NODES = Integer.getInteger("bench.nodes", 5);
    private static final int DEPLOYMENTS = Integer.getInteger("bench.deployments", 1000);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 4);

    private ClusterBenchmark() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = KafkaBrokerResource.startBroker();
        String jdbcUrl = PostgresDatabaseResource.recreate("cn_bench_cluster");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        ds.setUser(PostgresDatabaseResource.user());
        ds.setPassword(PostgresDatabaseResource.password());
        Path key = Files.createTempFile("identity-public", ".pem");
        try (InputStream in =
                ClusterBenchmark.class.getClassLoader().getResourceAsStream("cloudnexus/identity/test-public.pem")) {
            Files.write(key, in.readAllBytes());
        }
        Path jar = Files.isRegularFile(Path.of("target/quarkus-app/quarkus-run.jar"))
                ? Path.of("target/quarkus-app/quarkus-run.jar")
                : Path.of("cluster-service/target/quarkus-app/quarkus-run.jar");
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try (ServiceProcess service = ServiceProcess.of(jar, "cluster-bench")
                .property("quarkus.datasource.jdbc.url", jdbcUrl)
                .property("kafka.bootstrap.servers", bootstrap)
                .property(
                        "cloudnexus.identity.public-key-location",
                        key.toAbsolutePath().toString())
                .property("cloudnexus.cluster.nodes.join-delay", "0s")
                .property("cloudnexus.cluster.nodes.poll-interval", "50ms")
                .property("cloudnexus.cluster.deployments.duration", "0s")
                .property("cloudnexus.cluster.deployments.poll-interval", "50ms")
                .jvmOption("-XX:TieredStopAtLevel=4")
                .jvmOption("-Xmx512m")
                .start()) {
            service.awaitReady(Duration.ofSeconds(90));
            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String body = "{\"name\":\"bench\",\"region\":\"eu-west-1\",\"version\":\"1.30\",\"node_pools\":"
                    + "[{\"name\":\"workers\",\"size\":\"s-4vcpu-8gb\",\"count\":" + NODES + "}]}";
            run(pool, client, service, "/clusters/k8s", body, 20, null); // warm-up
            long start = System.nanoTime();
            List<String> ids = Collections.synchronizedList(new ArrayList<>());
            double[] create = run(pool, client, service, "/clusters/k8s", body, CLUSTERS, ids);
            System.out.printf(
                    "CREATE: %d POST /clusters/k8s, %d clients: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    CLUSTERS, CLIENTS, create[0], create[1], create[2]);
            long nodes = (long) (CLUSTERS + 20) * NODES;
            await(ds, "SELECT count(*) FROM event_store WHERE type = 'cluster.node.joined'", nodes);
            double joinSeconds = (System.nanoTime() - start) / 1e9;
            await(
                    ds,
                    "SELECT count(*) FROM event_store WHERE published_at IS NOT NULL",
                    count(ds, "SELECT count(*) FROM event_store"));
            double publishSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "JOIN: %d nodes joined %.2f s after the first create (%.0f nodes/s); all events "
                            + "published after %.2f s%n",
                    nodes, joinSeconds, nodes / joinSeconds, publishSeconds);

            long deployStart = System.nanoTime();
            double[] deploy =
                    run(pool, client, service, null, "{\"image\":\"nginx:1.27\",\"replicas\":10}", DEPLOYMENTS, ids);
            await(ds, "SELECT count(*) FROM deployment WHERE status <> 'pending'", DEPLOYMENTS);
            double deploySeconds = (System.nanoTime() - deployStart) / 1e9;
            System.out.printf(
                    "DEPLOY: %d POST deployments: p50 %.1f ms, p99 %.1f ms; all outcomes recorded in "
                            + "%.2f s (%.0f deployments/s)%n",
                    DEPLOYMENTS, deploy[0], deploy[1], deploySeconds, DEPLOYMENTS / deploySeconds);
        } finally {
            pool.shutdownNow();
            new KafkaBrokerResource().stop();
        }
        System.exit(0);
    }

    /**
     * Sends {@code n} POSTs from {@link #CLIENTS} threads; path null = a deployment on the clusters in
     * {@code ids} (round robin), else created ids are added to {@code ids}. Returns p50, p99, max in ms.
     */
    private static double[] run(
            ExecutorService pool,
            HttpClient client,
            ServiceProcess service,
            String path,
            String body,
            int n,
            List<String> ids)
            throws Exception {
        String token = IdentityTokens.forAccount("acc_bench");
        List<String> targets = path == null ? List.copyOf(ids) : null;
        List<Future<Long>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String p = path != null ? path : "/clusters/k8s/" + targets.get(i % targets.size()) + "/deployments";
            futures.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create(service.url(p)))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                long elapsed = System.nanoTime() - t0;
                if (r.statusCode() / 100 != 2) {
                    throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                }
                if (path != null && ids != null) {
                    ids.add(CanonicalJson.parse(r.body()).path("id").asText());
                }
                return elapsed;
            }));
        }
        long[] latencies = new long[n];
        for (int i = 0; i < n; i++) {
            latencies[i] = futures.get(i).get();
        }
        Arrays.sort(latencies);
        return new double[] {
            latencies[n / 2] / 1e6, latencies[Math.max(0, (int) Math.ceil(n * 0.99) - 1)] / 1e6, latencies[n - 1] / 1e6
        };
    }

    private static void await(PGSimpleDataSource ds, String sql, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (count(ds, sql) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(sql + ": only " + count(ds, sql) + " of " + expected);
            }
            Thread.sleep(50);
        }
    }

    private static long count(PGSimpleDataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
