package io.cloudnexus.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.cloudnexus.launcher.Topology;
import io.cloudnexus.launcher.Topology.Service;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * The platform as a developer runs it: the repository's {@code ./run-platform.sh} (the launcher), configured
 * only through its documented environment variables, on free ports and in its own local directory, so it never
 * collides with a platform a developer runs on the default ports. Every response that a test gets from its gateway
 * through RestAssured is checked against the gateway's OpenAPI document ({@link OpenApiResponseValidator}).
 */
final class LocalPlatform {

    final Path root = Path.of(System.getProperty("cloudnexus.root", ".."))
            .toAbsolutePath()
            .normalize();
    final Path local;
    final Map<Service, Integer> ports = new LinkedHashMap<>();
    final Map<String, String> env = new LinkedHashMap<>();
    private int runs;

    /** In {@code target/<name>/local}, every port free, PostgreSQL at {@code dbHost:dbPort}, databases {@code <dbPrefix>...}. */
    LocalPlatform(String name, String dbHost, int dbPort, String dbUser, String dbPassword, String dbPrefix) {
        local = Path.of("target", name, "local").toAbsolutePath();
        for (Service s : Topology.SERVICES) {
            ports.put(s, ServiceProcess.freePort());
            env.put(s.envPrefix() + "_PORT", Integer.toString(ports.get(s)));
        }
        env.put("CN_LOCAL_DIR", local.toString());
        env.put("CN_KAFKA_PORT", Integer.toString(ServiceProcess.freePort()));
        env.put("CN_KAFKA_CONTROLLER_PORT", Integer.toString(ServiceProcess.freePort()));
        env.put("CN_DB_HOST", dbHost);
        env.put("CN_DB_PORT", Integer.toString(dbPort));
        env.put("CN_DB_USER", dbUser);
        env.put("CN_DB_PASSWORD", dbPassword);
        env.put("CN_DB_PREFIX", dbPrefix);
        env.put("CN_READY_TIMEOUT", "300");
        // every response a test gets from this gateway through RestAssured must match the gateway's OpenAPI document
        OpenApiResponseValidator.watch(url(Topology.GATEWAY, ""));
    }

    /** Starts {@code ./run-platform.sh <args>}; its output goes to {@link #output(Process)}'s file. */
    Process start(String... args) {
        try {
            Files.createDirectories(local.getParent());
            Path out = local.resolveSibling("run-platform-" + (++runs) + ".log");
            List<String> command = new java.util.ArrayList<>(
                    List.of(root.resolve("run-platform.sh").toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            outputs.put(p, out);
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run run-platform.sh", e);
        }
    }

    private final Map<Process, Path> outputs = new java.util.concurrent.ConcurrentHashMap<>();

    String output(Process p) {
        try {
            return Files.readString(outputs.get(p));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /** Runs {@code ./run-platform.sh <args>} to its end; returns its exit code and output. */
    Run run(Duration timeout, String... args) {
        Process p = start(args);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroy();
                throw new IllegalStateException("run-platform.sh " + String.join(" ", args) + " did not finish within "
                        + timeout + ":\n" + output(p));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Run(p.exitValue(), output(p));
    }

    record Run(int exitCode, String output) {}

    /** Waits until the running {@code p} has printed {@code text}; fails with its output when it exits first. */
    String awaitOutput(Process p, String text, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String out = output(p);
            if (out.contains(text)) {
                return out;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException(
                        "run-platform.sh exited with " + p.exitValue() + " before printing '" + text + "':\n" + out);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(
                "run-platform.sh did not print '" + text + "' within " + timeout + ":\n" + output(p));
    }

    String url(Service service, String path) {
        return "http://127.0.0.1:" + ports.get(service) + path;
    }

    /** The demo account's {@code CN_ACCOUNT_ID} and {@code CN_API_KEY} (written by the gateway). */
    Properties demoCredentials() {
        Properties demo = new Properties();
        try (InputStream in = Files.newInputStream(local.resolve("demo-credentials.env"))) {
            demo.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("no demo credentials in " + local, e);
        }
        return demo;
    }
}
