package io.cloudnexus.billing.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.ds.PGSimpleDataSource;

import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.IdentityTokens;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * Benchmark harness (not a test): runs the packaged billing-service in its own JVM against an in-JVM Kafka broker
 * and the local PostgreSQL, produces a backlog of compute events (per server: created, provisioned, scaled,
 * terminated, all in March 2025) and prints (1) the metering rate until every event is in consumed_event, (2) the
 * rate of the same events redelivered (deduplicated), (3) how long finalizing the period's invoices takes.
 * Run with {@code billing-service/bench/run.sh}. System properties: {@code bench.servers} (default 5000),
 * {@code bench.accounts} (default 500).
 */
public final class MeteringBenchmark {

    private static final int SERVERS = Integer.getInteger("bench.servers", 5000);
    private static final int ACCOUNTS = Integer.getInteger("bench.accounts", 500);

    private MeteringBenchmark() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = KafkaBrokerResource.startBroker();
        String jdbcUrl = PostgresDatabaseResource.recreate("cn_bench_billing");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        ds.setUser(PostgresDatabaseResource.user());
        ds.setPassword(PostgresDatabaseResource.password());
        Path key = Files.createTempFile("identity-public", ".pem");
        try (InputStream in =
                MeteringBenchmark.class.getClassLoader().getResourceAsStream("cloudnexus/identity/test-public.pem")) {
            Files.write(key, in.readAllBytes());
        }
        Path jar = Files.isRegularFile(Path.of("target/quarkus-app/quarkus-run.jar"))
                ? Path.of("target/quarkus-app/quarkus-run.jar")
                : Path.of("billing-service/target/quarkus-app/quarkus-run.jar");
        List<ProducerRecord<String, byte[]>> events = events();
        try (ServiceProcess service = ServiceProcess.of(jar, "billing-bench")
                .property("quarkus.datasource.jdbc.url", jdbcUrl)
                .property("kafka.bootstrap.servers", bootstrap)
                .property(
                        "cloudnexus.identity.public-key-location",
                        key.toAbsolutePath().toString())
                .jvmOption("-XX:TieredStopAtLevel=4")
                .jvmOption("-Xmx512m")
                .start()) {
            service.awaitReady(Duration.ofSeconds(90));
            long start = System.nanoTime();
            send(bootstrap, events);
            awaitConsumed(ds, "SELECT count(*) FROM consumed_event", events.size());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "METER: %d events (%d servers, %d accounts) metered in %.2f s: %.0f events/s%n",
                    events.size(), SERVERS, ACCOUNTS, seconds, events.size() / seconds);

            long dupStart = System.nanoTime();
            send(bootstrap, events);
            awaitDuplicates(service, events.size());
            double dupSeconds = (System.nanoTime() - dupStart) / 1e9;
            System.out.printf(
                    "REDELIVER: the same %d events deduplicated in %.2f s: %.0f events/s; %s%n",
                    events.size(),
                    dupSeconds,
                    events.size() / dupSeconds,
                    count(ds, "SELECT count(*) FROM usage_segment") == 2L * SERVERS
                            ? "usage unchanged"
                            : "USAGE CHANGED");

            long finStart = System.nanoTime();
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(service.url("/billing/invoices/finalize")))
                                    .timeout(Duration.ofMinutes(5))
                                    .header(
                                            "Authorization",
                                            "Bearer "
                                                    + IdentityTokens.mint("operator", "enterprise", Set.of("operator")))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"period\":\"2025-03\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            double finSeconds = (System.nanoTime() - finStart) / 1e9;
            long finalized = count(ds, "SELECT count(*) FROM invoice WHERE status = 'finalized'");
            System.out.printf(
                    "FINALIZE: HTTP %d, %d invoices finalized in %.2f s: %.0f invoices/s%n",
                    r.statusCode(), finalized, finSeconds, finalized / finSeconds);
        } finally {
            new KafkaBrokerResource().stop();
        }
        System.exit(0);
    }

    /** Per server: created, provisioned, scaled (starter to professional), terminated, hours apart. */
    private static List<ProducerRecord<String, byte[]>> events() {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts.add(ResourceIds.newId(ResourceIds.ACCOUNT));
        }
        List<ProducerRecord<String, byte[]>> events = new ArrayList<>(SERVERS * 4);
        for (int i = 0; i < SERVERS; i++) {
            String account = accounts.get(i % ACCOUNTS);
            String srv = ResourceIds.newId(ResourceIds.SERVER);
            String day = String.format("2025-03-%02d", 1 + i % 28);
            events.add(record(
                    "server.created",
                    account,
                    srv,
                    day + "T01:00:00Z",
                    "{\"server_id\":\"" + srv
                            + "\",\"region\":\"us-east-1\",\"plan\":\"starter\",\"image\":\"ubuntu-22.04\","
                            + "\"status\":\"provisioning\",\"ip\":null}"));
            events.add(record(
                    "server.provisioned",
                    account,
                    srv,
                    day + "T01:01:00Z",
                    "{\"server_id\":\"" + srv
                            + "\",\"region\":\"us-east-1\",\"status\":\"active\",\"ip\":\"203.0.113.9\"}"));
            events.add(record(
                    "server.scaled",
                    account,
                    srv,
                    day + "T05:01:00Z",
                    "{\"server_id\":\"" + srv
                            + "\",\"previous_plan\":\"starter\",\"plan\":\"professional\",\"region\":\"us-east-1\"}"));
            events.add(record(
                    "server.terminated",
                    account,
                    srv,
                    day + "T09:31:00Z",
                    "{\"server_id\":\"" + srv + "\",\"region\":\"us-east-1\",\"status\":\"terminated\"}"));
        }
        return events;
    }

    private static ProducerRecord<String, byte[]> record(
            String type, String account, String srv, String time, String data) {
        RecordHeaders h = new RecordHeaders();
        h.add(CloudEventHeaders.ID, EventIds.newId().getBytes(StandardCharsets.UTF_8));
        h.add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        h.add(CloudEventHeaders.TIME, time.getBytes(StandardCharsets.UTF_8));
        h.add(CloudEventHeaders.SUBJECT, srv.getBytes(StandardCharsets.UTF_8));
        h.add(CloudEventHeaders.ACCOUNT_ID, account.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(Topics.COMPUTE_EVENTS, null, srv, data.getBytes(StandardCharsets.UTF_8), h);
    }

    private static void send(String bootstrap, List<ProducerRecord<String, byte[]>> events) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            events.forEach(producer::send);
            producer.flush();
        }
    }

    private static void awaitConsumed(PGSimpleDataSource ds, String sql, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (count(ds, sql) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count(ds, sql) + " of " + expected + " consumed");
            }
            Thread.sleep(50);
        }
    }

    /** Waits until the service's metric counts {@code expected} duplicates. */
    private static void awaitDuplicates(ServiceProcess service, long expected) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            String metrics = client.send(
                            HttpRequest.newBuilder(URI.create(service.url("/q/metrics")))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            double duplicates = metrics.lines()
                    .filter(l -> l.startsWith("billing_events_consumed_total") && l.contains("outcome=\"duplicate\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
            if (duplicates >= expected) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("redelivered events not all counted as duplicates");
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
