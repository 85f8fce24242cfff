package io.cloudnexus.webhook.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.cloudnexus.contracts.CloudEventHeaders;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * What every webhook-service benchmark starts and reads: an in-process Kafka broker, a fresh database, the
 * packaged service in its own JVM (JIT at C2, {@code -Xmx512m}, optionally profiled by JFR), and the probes of
 * the figures (load average, the service's RSS, CPU, heap after a GC, its metrics).
 */
final class BenchStack {

    final String bootstrap;
    final String jdbcUrl;
    final Path dir;
    private final Path publicKey;

    private BenchStack(String bootstrap, String jdbcUrl, Path dir, Path publicKey) {
        this.bootstrap = bootstrap;
        this.jdbcUrl = jdbcUrl;
        this.dir = dir;
        this.publicKey = publicKey;
    }

    /** Starts the broker and (re)creates {@code database}; files go to {@code target/bench}. */
    static BenchStack start(String database) throws IOException {
        String bootstrap = KafkaBrokerResource.startBroker();
        String jdbcUrl = PostgresDatabaseResource.recreate(database);
        Path dir = Files.createDirectories(Path.of("target/bench"));
        Path publicKey = dir.resolve("identity-public.pem");
        try (InputStream in =
                BenchStack.class.getClassLoader().getResourceAsStream("cloudnexus/identity/test-public.pem")) {
            Files.write(publicKey, in.readAllBytes());
        }
        return new BenchStack(bootstrap, jdbcUrl, dir, publicKey);
    }

    /**
     * The packaged service with what every benchmark sets (database, broker, identity key, secret key, WARN logs;
     * JFR into {@code target/bench/<jfrFile>} with {@code -Dbench.jfr=true}); the caller adds its own properties,
     * then {@linkplain #startService starts} it.
     */
    ServiceProcess service(String name, String jfrFile) {
        return ServiceProcess.of(Path.of("target/quarkus-app/quarkus-run.jar"), name)
                .jvmOption("-XX:TieredStopAtLevel=4")
                .jvmOption("-Xmx512m")
                .jvmOption(
                        Boolean.getBoolean("bench.jfr")
                                ? "-XX:StartFlightRecording=filename="
                                        + dir.toAbsolutePath().resolve(jfrFile) + ",settings=profile"
                                : "-Dbench.jfr=false")
                .property("quarkus.datasource.jdbc.url", jdbcUrl)
                .property("quarkus.datasource.username", PostgresDatabaseResource.user())
                .property("quarkus.datasource.password", PostgresDatabaseResource.password())
                .property("kafka.bootstrap.servers", bootstrap)
                .property("cloudnexus.identity.public-key-location", "file:" + publicKey.toAbsolutePath())
                .property("cloudnexus.webhooks.secret-key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
                .property("quarkus.log.level", "WARN");
    }

    static ServiceProcess startService(ServiceProcess service) {
        return service.start().awaitReady(Duration.ofSeconds(120));
    }

    /** Creates the topics (3 partitions, like the broker's auto-creation) so a consumer finds them at its start. */
    void createTopics(List<String> topics) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** A domain event as the outbox relay publishes it (CloudEvents binary mode), keyed by its subject. */
    static ProducerRecord<String, byte[]> event(
            String topic, String id, String type, String subject, String account, byte[] data) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, subject, data);
        header(record, CloudEventHeaders.SPECVERSION, "1.0");
        header(record, CloudEventHeaders.ID, id);
        header(record, CloudEventHeaders.TYPE, type);
        header(record, CloudEventHeaders.SOURCE, "/cloudnexus/bench");
        header(record, CloudEventHeaders.TIME, EventEnvelope.formatTimestamp(Instant.now()));
        header(record, CloudEventHeaders.SUBJECT, subject);
        header(record, CloudEventHeaders.ACCOUNT_ID, account);
        return record;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The 1-minute load average. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
        } catch (Exception e) {
            return "?";
        }
    }

    /** utime + stime of a process, from /proc (Linux, 100 ticks/s); 0 when it cannot be read. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (Exception e) {
            return 0;
        }
    }

    /** The soft limit of open files of a process ({@code /proc/<pid>/limits}), or "?". */
    static String openFilesLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
                if (line.startsWith("Max open files")) {
                    return line.substring("Max open files".length()).trim().split("\\s+")[0];
                }
            }
        } catch (Exception e) {
            // no /proc
        }
        return "?";
    }

    private static final Pattern HEAP_USED =
            Pattern.compile("(?m)^\\s*(?:[\\w-]+ )*(?:generation|heap)\\s+total \\d+K, used (\\d+)K");

    /**
     * The process's heap in use right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}: the sum of
     * the generations' "used"), in bytes; -1 when jcmd is missing or its answer cannot be read.
     */
    static long heapAfterGc(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;
        }
        try {
            jcmd(jcmd, pid, "GC.run");
            Matcher m = HEAP_USED.matcher(jcmd(jcmd, pid, "GC.heap_info"));
            long kib = 0;
            boolean found = false;
            while (m.find()) {
                kib += Long.parseLong(m.group(1));
                found = true;
            }
            return found ? kib * 1024 : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * The process's class histogram after a full GC ({@code jcmd GC.class_histogram}), also written to {@code file};
     * empty when jcmd fails.
     */
    static String classHistogram(long pid, Path file) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            String histogram = jcmd(jcmd, pid, "GC.class_histogram");
            Files.writeString(file, histogram);
            return histogram;
        } catch (IOException e) {
            System.out.println("class histogram failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    /** The live instances of a class in a {@link #classHistogram} (0 when absent). */
    static long instances(String histogram, String className) {
        for (String line : histogram.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[3].equals(className)) {
                return Long.parseLong(f[1]);
            }
        }
        return 0;
    }

    private static String jcmd(Path jcmd, long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    /** The service's Prometheus text ({@code /q/metrics}); empty when it does not answer. */
    static String metrics(ServiceProcess service) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(service.url("/q/metrics")))
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The sum of a metric's samples (every label set) in Prometheus text, or NaN when it is absent. */
    static double metric(String metrics, String name, Map<String, String> labels) {
        double sum = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean matches =
                    labels.entrySet().stream().allMatch(e -> line.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (matches) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }
}
