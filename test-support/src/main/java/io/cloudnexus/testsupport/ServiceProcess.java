package io.cloudnexus.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A packaged service ({@code <module>/target/quarkus-app/quarkus-run.jar}) running in its own JVM, for
 * tests that need a real separate process: crash tests (SIGKILL) and end-to-end tests across services.
 *
 * <pre>
 * ServiceProcess webhook = ServiceProcess.of(Path.of("target/quarkus-app/quarkus-run.jar"), "webhook-service")
 *         .property("kafka.bootstrap.servers", bootstrap)
 *         .start();
 * webhook.awaitReady(Duration.ofSeconds(60));
 * webhook.kill();   // SIGKILL
 * </pre>
 */
public final class ServiceProcess implements AutoCloseable {

    /** Every process started from this JVM and still alive: killed by a shutdown hook, so no JVM is orphaned. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ServiceProcess::killAll, "service-process-reaper"));
    }

    private final Path jar;
    private final String name;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> jvmOptions =
            new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    private final int port;
    private Path log;
    private Process process;

    private ServiceProcess(Path jar, String name, int port) {
        this.jar = jar;
        this.name = name;
        this.port = port;
        properties.put("quarkus.http.port", Integer.toString(port));
    }

    /** A service from its packaged jar, on a free port. */
    public static ServiceProcess of(Path jar, String name) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " does not exist: package the module first "
                    + "(this test runs under failsafe, after the Quarkus build)");
        }
        return new ServiceProcess(jar, name, freePort());
    }

    public ServiceProcess property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public ServiceProcess jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path);
    }

    /** Starts (or restarts) the JVM; output goes to {@code target/<name>.log} (appended across restarts). */
    public synchronized ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        try {
            log = Path.of("target", name + ".log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            track(process);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + name, e);
        }
        return this;
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the log's tail otherwise. */
    public ServiceProcess awaitReady(Duration timeout) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail(40));
            }
            try {
                HttpResponse<Void> r = client.send(
                        HttpRequest.newBuilder(URI.create(url("/q/health/ready")))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + logTail(40));
    }

    /** SIGKILL: no shutdown hooks, no graceful close — a crash. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
    }

    /** SIGTERM and wait for a clean exit. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(Duration.ofSeconds(20))) {
                kill();
            }
        }
    }

    public String name() {
        return name;
    }

    /** The operating-system process id of the running JVM (-1 when not started). */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** The resident set size of the running JVM in KiB ({@code VmRSS} of {@code /proc/<pid>/status}; Linux). */
    public long rssKib() {
        return rssKib(pid());
    }

    /** {@code VmRSS} of any process in KiB, or -1 when it cannot be read (not Linux, process gone). */
    public static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or no /proc
        }
        return -1;
    }

    /**
     * Remembers a child process so that the JVM's shutdown hook kills it if the test forgets to (or fails
     * before it could): also for processes started with a plain {@link ProcessBuilder}.
     */
    public static Process track(Process child) {
        RUNNING.add(child);
        child.onExit().thenAccept(RUNNING::remove);
        return child;
    }

    /** SIGKILLs every tracked process still alive (what the shutdown hook does). */
    public static void killAll() {
        for (Process p : List.copyOf(RUNNING)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The log file ({@code target/<name>.log}), or null before the first start. */
    public Path log() {
        return log;
    }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | NullPointerException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A port free at the time of asking, on loopback. */
    public static int freePort() {
        // Below the kernel's ephemeral range (32768-60999 here): a port from ServerSocket(0) is one that outgoing
        // connections (Kafka clients, JDBC pools, HTTP clients of the processes already started) also take their
        // local ports from, so it could be taken between this check and the service's bind (seen in a CI run:
        // "Port ... seems to be in use by another process"). These ports are only ever taken by a listener.
        for (int i = 0; i < 500; i++) {
            int port = LOWEST_PORT
                    + java.util.concurrent.ThreadLocalRandom.current().nextInt(PORTS);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ports {@link #freePort()} picks from: 20000-32499, under the usual ephemeral ranges (Linux 32768+). */
    private static final int LOWEST_PORT = 20_000;

    private static final int PORTS = 12_500;
}
