package io.cloudnexus.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single-node KRaft broker in its own JVM, as the launcher and test-support's {@code KafkaProcess} run it:
 * its {@code server.properties} (from the {@code kafka-server.properties} template), the java command lines of
 * the broker and of the storage tool, and topic creation through the admin client.
 */
public final class KafkaBroker {

    /** The broker's main class (also the marker of its command line). */
    public static final String MAIN = "kafka.Kafka";

    public static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    /** The broker and tools log through slf4j-simple / log4j: only warnings. */
    public static final List<String> QUIET =
            List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dlog4j2.level=warn");

    private KafkaBroker() {}

    /**
     * The broker's configuration on 127.0.0.1:{@code port} (controller on {@code controllerPort}), data in
     * {@code logDir}; {@code overrides} replace (or add) single properties.
     */
    public static String serverProperties(int port, int controllerPort, Path logDir, Map<String, String> overrides) {
        String template;
        try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-server.properties")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> lines = new ArrayList<>();
        Set<String> replaced = new java.util.HashSet<>();
        for (String line : template.replace("@KAFKA_PORT@", Integer.toString(port))
                .replace("@CONTROLLER_PORT@", Integer.toString(controllerPort))
                .replace("@DATA_DIR@", logDir.toString())
                .split("\n", -1)) {
            int eq = line.indexOf('=');
            String key = line.startsWith("#") || eq < 0
                    ? null
                    : line.substring(0, eq).trim();
            if (key != null && overrides.containsKey(key)) {
                lines.add(key + "=" + overrides.get(key));
                replaced.add(key);
            } else {
                lines.add(line);
            }
        }
        overrides.forEach((key, value) -> {
            if (!replaced.contains(key)) {
                lines.add(key + "=" + value);
            }
        });
        return String.join("\n", lines);
    }

    /** {@code java <jvmOptions> -cp <classpath> <main> <args>} with this JVM's java. */
    public static List<String> javaCommand(String classpath, List<String> jvmOptions, String main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(main);
        command.addAll(List.of(args));
        return command;
    }

    /** The storage tool formatting {@code properties}'s log directory for a new cluster. */
    public static List<String> formatCommand(String classpath, Path properties) {
        List<String> options = new ArrayList<>(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        options.addAll(QUIET);
        return javaCommand(
                classpath, options, STORAGE_TOOL, "format", "-t", newClusterId(), "-c", properties.toString());
    }

    /**
     * Kafka's own random cluster id: unlike any base64 of 16 random bytes it never starts with '-', which the
     * storage tool's argument parser would take for an option.
     */
    public static String newClusterId() {
        return Uuid.randomUuid().toString();
    }

    /** The java executable of this JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Whether something accepts TCP connections on {@code host:port}. */
    public static boolean listening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** An admin client (close it) with short timeouts. */
    public static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10000));
    }

    /** Creates the topics that do not exist yet ({@code partitions} each, replication 1); returns those created. */
    public static List<String> createTopics(String bootstrapServers, int partitions, Collection<String> topics) {
        List<String> created = new ArrayList<>();
        try (Admin admin = admin(bootstrapServers)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> wanted = topics.stream()
                    .filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1))
                    .toList();
            for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> f :
                    admin.createTopics(wanted).values().entrySet()) {
                try {
                    f.getValue().get(30, TimeUnit.SECONDS);
                    created.add(f.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "creating topic " + f.getKey() + " failed: " + e.getCause(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("listing topics failed: " + e, e);
        }
        created.sort(java.util.Comparator.comparingInt(List.copyOf(topics)::indexOf));
        return created;
    }
}
