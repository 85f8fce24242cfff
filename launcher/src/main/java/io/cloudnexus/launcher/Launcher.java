package io.cloudnexus.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.cloudnexus.launcher.Topology.Service;

/**
 * {@code ./run-platform.sh}: runs the whole platform on this machine (a KRaft broker, PostgreSQL, the five
 * services), waits until every service is ready, prints where everything is, and stays in the foreground
 * (Ctrl-C stops all) or returns ({@code --detach}; {@code --stop} stops it later). See deploy/local/README.md.
 */
public final class Launcher {

    static final String USAGE = """
            Usage: ./run-platform.sh [options]

            Runs the CloudNexus platform locally: a single-node Apache Kafka (KRaft) broker, the
            compute, cluster, billing and webhook services and the api-gateway, against a local
            PostgreSQL (an embedded one is started when none answers). Stays in the foreground;
            Ctrl-C stops all.

            Options:
              (none)          build what is missing, start everything, wait until ready, stay in foreground
              --rebuild       run the Maven build (tests skipped) even if the jars exist
              --detach        start everything, wait until ready, print the summary and return
                              (same as CN_DETACH=1); stop it later with --stop
              --infra-only    only Kafka (+ topics), PostgreSQL (+ databases) and the identity keys
                              (no services); combine with --detach to leave them running
              --restart       stop a run left in the background first, then start
              --reset         start from empty data: drop and recreate the databases, delete the Kafka
                              data and the demo credentials (keeps the jars and the keys)
              --stop          stop a run left in the background (or a foreground run in another terminal)
              --status        show what is running and whether it is ready
              -h, --help      this text

            %s
            Files: <local dir>/logs/ (build.log, kafka.log, postgres.log, <service>.log), pids/, kafka/
            (server.properties, data), postgres/ (embedded server), keys/ (identity key pair),
            demo-credentials.env.
            """.formatted(Settings.HELP);

    private static final String RUNNER = "run-platform";
    /** The launcher JVM's marker: its jar ({@code java -jar <jar>}). */
    private static final String RUNNER_MARKER = launcherJar().toString();

    private static final String KAFKA = "kafka";

    private final Settings settings;
    private final Console console;
    private final Supervisor supervisor;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private final long startNanos = System.nanoTime();
    private final Map<String, ProcessHandle> launched = new LinkedHashMap<>();
    private LocalPostgres embedded;
    private volatile boolean detached;
    /** Set before a failure's exit: the shutdown then keeps exit status 1. */
    private static volatile boolean failed;

    private volatile boolean stopping;

    Launcher(Settings settings, Console console) {
        this.settings = settings;
        this.console = console;
        this.supervisor = new Supervisor(settings.pids(), console, Duration.ofSeconds(settings.stopTimeoutSeconds()));
    }

    public static void main(String[] args) {
        // the admin client and zonky log through slf4j-simple: only warnings
        System.setProperty(
                "org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        Console console = Console.system();
        Set<String> flags = new TreeSet<>();
        for (String arg : args) {
            switch (arg) {
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    return;
                }
                case "-d", "--detach" -> flags.add("--detach");
                case "--rebuild", "--infra-only", "--restart", "--reset", "--stop", "--status" -> flags.add(arg);
                default -> {
                    console.error("unknown option: " + arg);
                    System.err.print(USAGE);
                    System.exit(2);
                }
            }
        }
        try {
            Launcher launcher = new Launcher(Settings.from(System.getenv(), root()), console);
            if (flags.contains("--stop")) {
                launcher.stop();
            } else if (flags.contains("--status")) {
                launcher.status();
            } else {
                launcher.run(
                        flags.contains("--detach") || launcher.settings.detach(),
                        flags.contains("--infra-only"),
                        flags.contains("--restart"),
                        flags.contains("--reset"));
            }
        } catch (LauncherException e) {
            console.error(e.getMessage());
            failed = true;
            System.exit(1);
        }
    }

    /** The repository: {@code cloudnexus.root}, else two levels above the launcher jar (launcher/target/). */
    static Path root() {
        String configured = System.getProperty("cloudnexus.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return launcherJar().getParent().getParent().getParent();
    }

    private static Path launcherJar() {
        try {
            return Path.of(Launcher.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The class path of the broker JVM: the launcher's own ({@code lib/*} next to its jar). */
    private static String kafkaClasspath() {
        Path jar = launcherJar();
        if (Files.isRegularFile(jar)) {
            return jar.getParent().resolve("lib") + "/*";
        }
        return System.getProperty("java.class.path");
    }

    // ------------------------------------------------------------------------------------------------- run

    void run(boolean detach, boolean infraOnly, boolean restart, boolean reset) {
        List<String> running = runningNames();
        if (!running.isEmpty()) {
            if (restart) {
                stop();
            } else {
                var runner = supervisor.running(RUNNER, RUNNER_MARKER);
                if (runner.isPresent()) {
                    throw new LauncherException("the platform is already running (run-platform.sh pid "
                            + runner.get().pid() + ": " + String.join(" ", running)
                            + "). Stop it with Ctrl-C there or './run-platform.sh --stop', or use --restart.");
                }
                throw new LauncherException("a previous run is still running (" + String.join(" ", running)
                        + "). Stop it with './run-platform.sh --stop' or start with --restart.");
            }
        }
        supervisor.record(RUNNER, ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(new Thread(this::onExit, "launcher-shutdown"));

        console.say("CloudNexus local platform (repo: " + settings.root() + ")");
        console.ok("java " + System.getProperty("java.version") + " (" + KafkaBroker.java() + ")");
        if (!infraOnly) {
            checkJars();
            checkServicePorts();
        }
        long kafkaStart = System.nanoTime();
        if (!reset) {
            // the broker boots while PostgreSQL, the databases and the keys are prepared
            startKafka();
        }
        String postgres = ensurePostgres();
        if (reset) {
            resetData();
            startKafka();
        }
        List<String> created = databases().createMissing(settings.databases());
        console.ok(
                created.isEmpty()
                        ? "databases exist: " + String.join(" ", settings.databases())
                        : "databases created: " + String.join(" ", created));
        Topology.Wiring wiring = settings.wiring();
        if (IdentityKeys.ensure(wiring.privateKey(), wiring.publicKey())) {
            console.ok("identity keys generated: " + relative(wiring.privateKey()) + " (PKCS#8, 600), "
                    + relative(wiring.publicKey()));
        } else {
            console.ok("identity keys present (" + relative(settings.keys()) + ")");
        }
        long servicesStart = System.nanoTime();
        if (!infraOnly) {
            console.say("starting services: "
                    + Topology.SERVICES.stream().map(Service::module).collect(Collectors.joining(" ")) + " ... logs: "
                    + settings.logs() + "/<service>.log");
            for (Service s : Topology.SERVICES) {
                launched.put(s.module(), supervisor.start(s.module(), serviceCommand(s, wiring), log(s.module())));
            }
        }
        long kafkaReady = awaitKafka(kafkaStart);
        if (infraOnly) {
            console.line("");
            console.line(console.green + console.bold + "Infrastructure is ready" + console.reset + " in " + elapsed()
                    + "s (Kafka " + Console.seconds(kafkaReady) + ")");
            console.line(String.format(
                    "  %-12s %s",
                    "Kafka:",
                    settings.kafkaBootstrapServers() + " (topics: " + String.join(" ", Topology.TOPICS) + ")"));
            console.line(String.format(
                    "  %-12s %s",
                    "Kafka tools:",
                    "java -cp '" + kafkaClasspath() + "' org.apache.kafka.tools.TopicCommand --bootstrap-server "
                            + settings.kafkaBootstrapServers() + " --list"));
            console.line(String.format(
                    "  %-12s %s",
                    "PostgreSQL:", postgres + " (databases: " + String.join(" ", settings.databases()) + ")"));
            console.line(String.format("  %-12s %s", "Keys:", settings.keys() + "/"));
            console.line(String.format("  %-12s %s", "Logs:", settings.logs() + "/"));
        } else {
            long servicesReady = awaitServices(servicesStart);
            summary(postgres, servicesReady, kafkaReady);
        }
        if (detach) {
            detached = true;
            supervisor.forget(RUNNER);
            console.line(
                    "Running in the background. Stop with: " + settings.root().resolve("run-platform.sh") + " --stop");
            System.exit(0);
        }
        console.line("Press Ctrl-C to stop everything.");
        supervise();
    }

    private void checkJars() {
        List<Path> jars =
                Topology.SERVICES.stream().map(s -> s.jar(settings.root())).toList();
        List<String> missing = jars.stream()
                .filter(j -> !Files.isRegularFile(j))
                .map(this::relative)
                .toList();
        if (!missing.isEmpty()) {
            throw new LauncherException("missing service jars: " + String.join(" ", missing)
                    + " (./run-platform.sh builds them; or run './mvnw -B -DskipTests package')");
        }
        long oldest = jars.stream().mapToLong(Launcher::modified).min().orElse(0);
        Path changed = newerSource(oldest);
        if (changed != null) {
            console.warn("sources changed since the last build (e.g. " + relative(changed)
                    + "): using the existing jars; pass --rebuild to rebuild");
        } else {
            console.ok("service jars present and up to date (pass --rebuild to rebuild)");
        }
    }

    /**
     * A pom or main source file newer than {@code time} in a module that goes into the service jars (not the
     * launcher, not the test-only modules), or null.
     */
    private Path newerSource(long time) {
        try (Stream<Path> modules = Files.list(settings.root())) {
            for (Path module : modules.filter(Files::isDirectory)
                    .filter(m -> !m.getFileName().toString().equals("launcher"))
                    .toList()) {
                for (Path candidate : List.of(module.resolve("pom.xml"), module.resolve("src/main"))) {
                    if (!Files.exists(candidate) || !Files.isDirectory(module.resolve("src/main"))) {
                        continue;
                    }
                    try (Stream<Path> walk = Files.walk(candidate)) {
                        var found = walk.filter(Files::isRegularFile)
                                .filter(p -> modified(p) > time)
                                .findFirst();
                        if (found.isPresent()) {
                            return found.get();
                        }
                    }
                }
            }
            Path pom = settings.root().resolve("pom.xml");
            return modified(pom) > time ? pom : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    // -------------------------------------------------------------------------------------------- postgres

    private Databases databases() {
        return new Databases(settings.dbHost(), settings.dbPort(), settings.dbUser(), settings.dbPassword());
    }

    /** Makes sure a server answers; returns how the summary names it. */
    private String ensurePostgres() {
        String address = settings.dbHost() + ":" + settings.dbPort();
        String problem = databases().problem();
        if (problem == null) {
            console.ok("PostgreSQL answers at " + address);
            return address;
        }
        if (KafkaBroker.listening(settings.dbHost(), settings.dbPort())) {
            throw new LauncherException(
                    "PostgreSQL at " + address + " refuses " + settings.dbUser() + ": " + problem
                            + " (set CN_DB_USER / CN_DB_PASSWORD, or CN_DB_PORT to a port where nothing listens for an embedded server)");
        }
        if (!isLoopback(settings.dbHost())) {
            throw new LauncherException(
                    "no PostgreSQL server answers at " + address + " (user " + settings.dbUser()
                            + "). Start it, or point CN_DB_HOST / CN_DB_PORT elsewhere (an embedded server is started only on a loopback host).");
        }
        long start = System.nanoTime();
        Path data = settings.postgresData().resolve("data");
        console.say("no PostgreSQL answers at " + address + ": starting an embedded PostgreSQL there (data: "
                + relative(data) + ", log: " + relative(log("postgres")) + ")");
        embedded = LocalPostgres.of(
                        settings.postgresData(), data, log("postgres"), settings.dbPort(), settings.dbUser())
                .start(Duration.ofSeconds(settings.kafkaTimeoutSeconds()));
        console.ok("embedded PostgreSQL ready on 127.0.0.1:" + settings.dbPort() + " in "
                + Console.seconds(millisSince(start))
                + embedded.runAs()
                        .map(u -> " (running as the system user " + u + ": PostgreSQL refuses root)")
                        .orElse(""));
        return address + " (embedded, data in " + relative(data) + ")";
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void resetData() {
        console.say("--reset: dropping the databases and the Kafka data");
        databases().drop(settings.databases());
        console.ok("dropped: " + String.join(" ", settings.databases()));
        try {
            LocalPostgres.deleteTree(settings.kafkaData());
            Files.deleteIfExists(settings.demoCredentials());
        } catch (IOException e) {
            throw new LauncherException("cannot delete the Kafka data: " + e.getMessage(), e);
        }
        console.ok("deleted " + relative(settings.kafkaData()) + " and " + relative(settings.demoCredentials()));
    }

    // ----------------------------------------------------------------------------------------------- kafka

    private Path kafkaProperties() {
        return settings.local().resolve("kafka").resolve("server.properties");
    }

    private void startKafka() {
        if (KafkaBroker.listening("127.0.0.1", settings.kafkaPort())
                || KafkaBroker.listening("127.0.0.1", settings.kafkaControllerPort())) {
            throw new LauncherException(
                    "port " + settings.kafkaPort() + " or " + settings.kafkaControllerPort()
                            + " is already in use by another process (not started by this launcher). Stop it, or choose other ports with CN_KAFKA_PORT / CN_KAFKA_CONTROLLER_PORT.");
        }
        Path logDir = settings.kafkaData().resolve("kraft-logs");
        Path props = kafkaProperties();
        try {
            Files.createDirectories(logDir);
            Files.writeString(
                    props,
                    KafkaBroker.serverProperties(
                            settings.kafkaPort(), settings.kafkaControllerPort(), logDir, Map.of()));
            if (Files.exists(logDir.resolve("meta.properties"))) {
                console.ok("Kafka storage already formatted (cluster " + clusterId(logDir) + "), reusing "
                        + relative(settings.kafkaData()));
            } else {
                Path formatLog = log("kafka-format");
                Files.createDirectories(formatLog.getParent());
                Process format = new ProcessBuilder(KafkaBroker.formatCommand(kafkaClasspath(), props))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(formatLog.toFile()))
                        .start();
                if (!format.waitFor(settings.kafkaTimeoutSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                        || format.exitValue() != 0) {
                    format.destroyForcibly();
                    throw new LauncherException(
                            "formatting the Kafka storage failed:\n" + LocalPostgres.tail(formatLog, 20));
                }
                console.ok("Kafka storage formatted (cluster " + clusterId(logDir) + ")");
            }
        } catch (IOException e) {
            throw new LauncherException("cannot prepare " + settings.kafkaData() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted", e);
        }
        console.say("starting Kafka on " + settings.kafkaBootstrapServers() + " ... log: " + relative(log(KAFKA)));
        List<String> options = new ArrayList<>(settings.kafkaHeap());
        options.addAll(List.of(
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss,SSS"));
        launched.put(
                KAFKA,
                supervisor.start(
                        KAFKA,
                        KafkaBroker.javaCommand(kafkaClasspath(), options, KafkaBroker.MAIN, props.toString()),
                        log(KAFKA)));
    }

    private static String clusterId(Path logDir) {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(logDir.resolve("meta.properties"))) {
            meta.load(in);
        } catch (IOException e) {
            return "?";
        }
        return meta.getProperty("cluster.id", "?");
    }

    /** Waits for the broker's port, creates the topics; returns the milliseconds since {@code start}. */
    private long awaitKafka(long start) {
        ProcessHandle kafka = launched.get(KAFKA);
        long deadline = System.nanoTime()
                + Duration.ofSeconds(settings.kafkaTimeoutSeconds()).toNanos();
        while (!KafkaBroker.listening("127.0.0.1", settings.kafkaPort())) {
            if (!kafka.isAlive()) {
                throw new LauncherException("Kafka exited during startup; last lines of " + log(KAFKA) + ":\n"
                        + LocalPostgres.tail(log(KAFKA), 30));
            }
            if (System.nanoTime() > deadline) {
                throw new LauncherException(
                        "Kafka did not open port " + settings.kafkaPort() + " within " + settings.kafkaTimeoutSeconds()
                                + "s; last lines of " + log(KAFKA) + ":\n" + LocalPostgres.tail(log(KAFKA), 30));
            }
            pause(200);
        }
        console.ok("Kafka accepts connections (" + Console.seconds(millisSince(start)) + ")");
        try {
            List<String> created = KafkaBroker.createTopics(
                    settings.kafkaBootstrapServers(), Topology.TOPIC_PARTITIONS, Topology.TOPICS);
            console.ok(
                    created.isEmpty()
                            ? "topics exist: " + String.join(" ", Topology.TOPICS)
                            : "topics created: " + String.join(" ", created) + " (" + Topology.TOPIC_PARTITIONS
                                    + " partitions each)");
        } catch (RuntimeException e) {
            throw new LauncherException("creating the Kafka topics failed: " + e.getMessage(), e);
        }
        long ready = millisSince(start);
        console.ok("Kafka ready with topics in " + Console.seconds(ready));
        return ready;
    }

    // -------------------------------------------------------------------------------------------- services

    private String localMarker() {
        return "-Dcloudnexus.local=" + settings.local();
    }

    private List<String> serviceCommand(Service service, Topology.Wiring wiring) {
        List<String> command = new ArrayList<>();
        command.add(KafkaBroker.java());
        command.addAll(settings.jvmOptions());
        command.add(localMarker());
        Topology.properties(service, wiring).forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(settings.extraOptions());
        command.addAll(settings.serviceOptions().get(service));
        command.add("-jar");
        command.add(service.jar(settings.root()).toString());
        return command;
    }

    private void checkServicePorts() {
        for (Service s : Topology.SERVICES) {
            if (KafkaBroker.listening("127.0.0.1", settings.port(s))) {
                throw new LauncherException(
                        "port " + settings.port(s) + " (for " + s.module() + ") is already in use by another process. "
                                + "Stop it, or choose another port with " + s.envPrefix() + "_PORT.");
            }
        }
    }

    /** HTTP status of {@code /q/health/ready} ("000" when nothing answers). */
    private String health(int port) {
        return status("http://127.0.0.1:" + port + "/q/health/ready");
    }

    private String status(String url) {
        try {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(3))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return Integer.toString(r.statusCode());
        } catch (IOException e) {
            return "000";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "000";
        }
    }

    /** Polls every service's readiness once a second with a progress line; returns the milliseconds since launch. */
    private long awaitServices(long start) {
        long deadline =
                start + Duration.ofSeconds(settings.readyTimeoutSeconds()).toNanos();
        String lastState = "";
        long lastPrint = 0;
        while (true) {
            List<String> ready = new ArrayList<>();
            List<String> waiting = new ArrayList<>();
            List<String> dead = new ArrayList<>();
            for (Service s : Topology.SERVICES) {
                if (!launched.get(s.module()).isAlive()) {
                    dead.add(s.module());
                } else if ("200".equals(health(settings.port(s)))) {
                    ready.add(s.module());
                } else {
                    waiting.add(s.module());
                }
            }
            long secs = millisSince(start) / 1000;
            String line = "[" + secs + "s] ready: " + (ready.isEmpty() ? "-" : String.join(" ", ready)) + "  waiting: "
                    + (waiting.isEmpty() ? "-" : String.join(" ", waiting))
                    + (dead.isEmpty() ? "" : "  EXITED: " + String.join(" ", dead));
            String state = line.substring(line.indexOf(']'));
            if (console.tty) {
                console.progress(line);
            } else if (!state.equals(lastState) || secs - lastPrint >= 10) {
                // without a terminal: a line when something changed, else one every 10 s
                console.line(line);
                lastPrint = secs;
            }
            lastState = state;
            if (!dead.isEmpty()) {
                console.endProgress();
                for (String name : dead) {
                    console.error(name + " exited during startup (log: " + log(name) + ")");
                    showFailure(name);
                }
                throw new LauncherException("the platform did not start");
            }
            if (waiting.isEmpty()) {
                console.endProgress();
                return millisSince(start);
            }
            if (System.nanoTime() > deadline) {
                console.endProgress();
                for (String name : waiting) {
                    console.error(name + " not ready after " + settings.readyTimeoutSeconds()
                            + "s (CN_READY_TIMEOUT; health: " + health(settings.port(Topology.service(name)))
                            + ", log: " + log(name) + ")");
                    showFailure(name);
                }
                throw new LauncherException("the platform did not become ready");
            }
            pause(1000);
        }
    }

    /** The first ERROR line (often the root cause) and the last 30 lines of a service log. */
    private void showFailure(String name) {
        Path log = log(name);
        try (Stream<String> lines = Files.lines(log)) {
            lines.filter(l -> l.matches("(^|.*\\s)(ERROR|FATAL)\\s.*"))
                    .findFirst()
                    .ifPresent(first -> console.errLine("  first error: " + first));
        } catch (IOException | java.io.UncheckedIOException e) {
            // no log
        }
        console.errLine(console.dim + "---- last 30 lines of " + log + " ----" + console.reset);
        console.errLine(LocalPostgres.tail(log, 30));
        console.errLine(console.dim + "----" + console.reset);
        String text = LocalPostgres.tail(log, 100_000);
        if (text.matches(
                "(?s).*(FlywayValidateException|Migration checksum mismatch|applied migration not resolved).*")) {
            console.errLine(
                    "  hint: the database holds migrations from an older build of " + name + "; during development");
            console.errLine(
                    "        start over with: ./run-platform.sh --reset   (drops the databases and the Kafka data)");
        }
    }

    private void summary(String postgres, long servicesReady, long kafkaReady) {
        String gw = "http://127.0.0.1:" + settings.port(Topology.GATEWAY);
        console.line("");
        console.line(console.green + console.bold + "CloudNexus is ready" + console.reset + " in " + elapsed()
                + "s total (services " + Console.seconds(servicesReady) + " after launch; Kafka "
                + Console.seconds(kafkaReady) + ")");
        console.line("");
        row("Gateway (API):", gw);
        if ("200".equals(status(gw + "/q/swagger-ui/"))) {
            row("API docs:", gw + "/q/swagger-ui");
        } else {
            row(
                    "API docs:",
                    gw
                            + "/q/swagger-ui  (not served by this gateway build: it needs quarkus.swagger-ui.always-include=true)");
        }
        row("OpenAPI:", gw + "/q/openapi");
        if ("200".equals(status(gw + "/console/"))) {
            row("Console:", gw + "/console/  (sign in with the demo key below)");
        }
        for (Service s : Topology.BACKENDS) {
            row(
                    s.module() + ":",
                    "http://127.0.0.1:" + settings.port(s) + "  (health: /q/health/ready, metrics: /q/metrics)");
        }
        row("Kafka:", settings.kafkaBootstrapServers() + "  (topics: " + String.join(" ", Topology.TOPICS) + ")");
        row("PostgreSQL:", postgres + "  (databases: " + String.join(" ", settings.databases()) + ")");
        row("Logs:", settings.logs() + "/");
        console.line("");
        Properties demo = new Properties();
        try (InputStream in = Files.newInputStream(settings.demoCredentials())) {
            demo.load(in);
        } catch (IOException e) {
            // none
        }
        String account = demo.getProperty("CN_ACCOUNT_ID", "");
        String key = demo.getProperty("CN_API_KEY", "");
        String body =
                "-d '{\"region\":\"us-east-1\",\"plan\":\"professional\",\"image\":\"ubuntu-22.04\",\"count\":2}'";
        if (!account.isEmpty() && !key.isEmpty()) {
            console.line("  Demo account (" + settings.demoCredentials() + "):");
            console.line("    CN_ACCOUNT_ID=" + account);
            console.line("    CN_API_KEY=" + key);
            console.line("");
            console.line("  Try it:");
            console.line("    curl -X POST " + gw + "/v2/servers -H \"Authorization: Bearer " + key
                    + "\" -H \"X-CloudNexus-Id: " + account + "\" -H \"Content-Type: application/json\" " + body);
        } else {
            console.line("  note: no demo credentials in " + settings.demoCredentials()
                    + " (the gateway writes them when it creates");
            console.line(
                    "        the demo account); create an account and API key through the gateway API instead. Then:");
            console.line("    curl -X POST " + gw
                    + "/v2/servers -H \"Authorization: Bearer $CN_API_KEY\" -H \"X-CloudNexus-Id: $CN_ACCOUNT_ID\""
                    + " -H \"Content-Type: application/json\" " + body);
        }
        console.line("");
    }

    private void row(String label, String value) {
        console.line(String.format("  %-18s %s", label, value));
    }

    /** Watches the processes while in the foreground; reports (once) one that exits. */
    private void supervise() {
        Set<String> reported = new TreeSet<>();
        while (true) {
            launched.forEach((name, handle) -> {
                if (!handle.isAlive() && reported.add(name) && !stopping) {
                    console.warn(name + " has exited (log: " + log(name) + ")");
                    showFailure(name);
                    console.warn("the rest keeps running; Ctrl-C stops everything");
                }
            });
            pause(2000);
        }
    }

    // --------------------------------------------------------------------------------------- stop / status

    /** Pid-file name to command-line marker of everything a run may leave (services, then the broker). */
    private Map<String, String> serviceMarkers() {
        Map<String, String> markers = new LinkedHashMap<>();
        for (Service s : Topology.SERVICES) {
            markers.put(s.module(), localMarker());
        }
        return markers;
    }

    private String kafkaMarker() {
        return kafkaProperties().toString();
    }

    List<String> runningNames() {
        List<String> names = new ArrayList<>();
        if (supervisor.running(KAFKA, kafkaMarker()).isPresent()) {
            names.add(KAFKA);
        }
        serviceMarkers()
                .forEach((name, marker) -> supervisor.running(name, marker).ifPresent(h -> names.add(name)));
        if (LocalPostgres.postmaster(settings.postgresData().resolve("data")).isPresent()) {
            names.add("postgres (embedded)");
        }
        return names;
    }

    private void stopAll(boolean withEmbeddedPostgres) {
        // services first (they flush to Kafka / PostgreSQL on shutdown), then the broker, then the database
        supervisor.stop(serviceMarkers());
        supervisor.stop(Map.of(KAFKA, kafkaMarker()));
        if (withEmbeddedPostgres) {
            Path data = settings.postgresData().resolve("data");
            if (LocalPostgres.postmaster(data).isPresent()) {
                LocalPostgres.of(settings.postgresData(), data, log("postgres"), settings.dbPort(), settings.dbUser())
                        .stop();
                console.stopped("postgres (embedded)");
            }
        }
    }

    void stop() {
        var runner = supervisor
                .running(RUNNER, RUNNER_MARKER)
                .filter(h -> h.pid() != ProcessHandle.current().pid());
        if (runner.isPresent()) {
            console.say(
                    "asking the foreground run-platform.sh (pid " + runner.get().pid() + ") to stop everything");
            runner.get().destroy();
            Supervisor.await(runner.get(), Duration.ofSeconds(settings.stopTimeoutSeconds() + 40L));
        }
        supervisor.forget(RUNNER);
        List<String> running = runningNames();
        if (running.isEmpty()) {
            console.say("nothing is running");
            return;
        }
        console.say("stopping: " + String.join(" ", running));
        stopAll(true);
        console.say("stopped");
    }

    void status() {
        var kafka = supervisor.running(KAFKA, kafkaMarker());
        console.line(String.format(
                "  %-16s %s",
                KAFKA,
                kafka.map(h -> "running (pid " + h.pid() + "), " + settings.kafkaBootstrapServers())
                        .orElse("stopped")));
        for (Service s : Topology.SERVICES) {
            var h = supervisor.running(s.module(), localMarker());
            String state = h.map(p -> {
                        String code = health(settings.port(s));
                        return "running (pid " + p.pid() + "), http://127.0.0.1:" + settings.port(s) + "  "
                                + ("200".equals(code) ? "ready" : "not ready (" + code + ")");
                    })
                    .orElse("stopped");
            console.line(String.format("  %-16s %s", s.module(), state));
        }
        var pg = LocalPostgres.postmaster(settings.postgresData().resolve("data"));
        console.line(String.format(
                "  %-16s %s",
                "postgres",
                pg.map(h -> "embedded, running (pid " + h.pid() + "), 127.0.0.1:" + settings.dbPort())
                        .orElse("no embedded server (" + settings.dbHost() + ":" + settings.dbPort()
                                + (databases().problem() == null ? " answers)" : " does not answer)"))));
    }

    /** At exit (Ctrl-C, SIGTERM, a failure): stop what this run started, unless it detached. */
    private void onExit() {
        if (detached) {
            return;
        }
        stopping = true;
        if (!launched.isEmpty() || embedded != null) {
            console.endProgress();
            console.say("stopping everything");
            stopAll(embedded != null);
            console.say("all stopped");
        }
        if (supervisor
                .pid(RUNNER)
                .filter(p -> p == ProcessHandle.current().pid())
                .isPresent()) {
            supervisor.forget(RUNNER);
        }
        if (!failed) {
            // Ctrl-C / SIGTERM of the foreground run: a clean stop, exit status 0 (not the JVM's 130 / 143)
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    // ------------------------------------------------------------------------------------------------ misc

    private Path log(String name) {
        return settings.logs().resolve(name + ".log");
    }

    private String relative(Path p) {
        Path abs = p.toAbsolutePath();
        return abs.startsWith(settings.root()) ? settings.root().relativize(abs).toString() : abs.toString();
    }

    private long elapsed() {
        return millisSince(startNanos) / 1000;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
