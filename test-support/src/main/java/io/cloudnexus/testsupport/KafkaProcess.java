package io.cloudnexus.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;

import io.cloudnexus.launcher.KafkaBroker;

/**
 * A real single-node Apache Kafka broker (KRaft, broker + controller) in its OWN JVM, started from the jars on
 * the test classpath ({@code kafka.Kafka}, configured as the launcher runs it: {@link KafkaBroker}): it can be killed with SIGKILL and
 * started again on the same ports with the same data, which is what a broker crash looks like to clients.
 *
 * <p>Optionally a second listener whose advertised address is a {@link TcpProxy}: clients bootstrapped on
 * {@link #proxiedBootstrapServers()} reach the broker only through the proxy (metadata sends them back to the
 * proxy's port), so cutting the proxy isolates exactly those clients from Kafka while the others keep it.
 *
 * <pre>
 * try (KafkaProcess kafka = KafkaProcess.start(Path.of("target/kafka"))) {
 *     kafka.kill();                      // SIGKILL
 *     kafka.restart();                   // same ports, same data
 * }
 * </pre>
 */
public final class KafkaProcess implements AutoCloseable {

    /** The broker runs from this JVM's class path (the test class path holds the Kafka server). */
    private static final String CLASSPATH = System.getProperty("java.class.path");

    private static final List<String> JVM_OPTIONS = jvmOptions();

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final int proxiedPort;
    private final TcpProxy proxy;
    private final Path log;
    private Process process;

    private KafkaProcess(Path dir, TcpProxy proxy) {
        this.dir = dir.toAbsolutePath();
        this.port = KafkaTestBroker.freePort();
        this.controllerPort = KafkaTestBroker.freePort();
        this.proxy = proxy;
        this.proxiedPort = proxy == null ? -1 : KafkaTestBroker.freePort();
        this.log = this.dir.resolve("kafka.log");
        if (proxy != null) {
            proxy.forwardTo("127.0.0.1", proxiedPort);
        }
    }

    /** Formats a fresh data directory under {@code dir} (deleted first) and starts the broker. */
    public static KafkaProcess start(Path dir) {
        return start(dir, null);
    }

    /**
     * As {@link #start(Path)}, with a second listener advertised on {@code proxy}'s port; the proxy is pointed
     * at it and left as it was (listening or cut).
     */
    public static KafkaProcess start(Path dir, TcpProxy proxy) {
        KafkaProcess kafka = new KafkaProcess(dir, proxy);
        kafka.format();
        kafka.launch();
        kafka.awaitReady(Duration.ofSeconds(90));
        return kafka;
    }

    /** Clients that connect directly. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Clients that connect through the proxy given at start (only those are cut by {@link TcpProxy#cut()}). */
    public String proxiedBootstrapServers() {
        if (proxy == null) {
            throw new IllegalStateException("started without a proxied listener");
        }
        return "127.0.0.1:" + proxy.port();
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** SIGKILL: no controlled shutdown, data as it was on disk. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the broker again on the same ports with the same data and waits until it answers. */
    public synchronized KafkaProcess restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Kafka is still running");
        }
        launch();
        awaitReady(Duration.ofSeconds(90));
        return this;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Creates the topics (idempotent) with {@code partitions} partitions each. */
    public void createTopics(int partitions, String... topics) {
        KafkaBroker.createTopics(bootstrapServers(), partitions, List.of(topics));
    }

    /** An admin client on the direct listener (close it). */
    public Admin admin() {
        return KafkaBroker.admin(bootstrapServers());
    }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    private void format() {
        try {
            deleteRecursively(dir);
            Files.createDirectories(dir.resolve("data"));
            Path props = dir.resolve("server.properties");
            Files.writeString(props, properties());
            Process p = ServiceProcess.track(new ProcessBuilder(KafkaBroker.formatCommand(CLASSPATH, props))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("formatting the Kafka storage failed:\n" + logTail(30));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot prepare " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch() {
        try {
            process = ServiceProcess.track(new ProcessBuilder(KafkaBroker.javaCommand(
                            CLASSPATH,
                            JVM_OPTIONS,
                            KafkaBroker.MAIN,
                            dir.resolve("server.properties").toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start Kafka", e);
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with " + process.exitValue() + ":\n" + logTail(40));
            }
            if (KafkaBroker.listening("127.0.0.1", port)) {
                try (Admin admin = admin()) {
                    admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    // not ready yet
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Kafka not ready within " + timeout + ":\n" + logTail(40));
    }

    /** The launcher's broker configuration, with the proxied listener when there is a proxy. */
    private String properties() {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("num.io.threads", "2");
        if (proxy != null) {
            overrides.put(
                    "listeners",
                    "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                            + ",PROXIED://127.0.0.1:" + proxiedPort);
            overrides.put(
                    "advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",PROXIED://127.0.0.1:" + proxy.port());
            overrides.put(
                    "listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PROXIED:PLAINTEXT");
        }
        return KafkaBroker.serverProperties(port, controllerPort, dir.resolve("data"), overrides);
    }

    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        options.addAll(KafkaBroker.QUIET);
        return options;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
