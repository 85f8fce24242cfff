package io.cloudnexus.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Pid files count only for the live process that still carries its marker; stop signals, waits and forgets. */
class SupervisorTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(out, true), new PrintStream(out, true), false);

    @Test
    void findsItsProcessByPidFileAndMarkerAndStopsIt() throws Exception {
        Path dir = Path.of("target", "supervisor-test").toAbsolutePath();
        Supervisor supervisor = new Supervisor(dir.resolve("pids"), console, Duration.ofSeconds(5));
        ProcessHandle sleeper = supervisor.start("sleeper", List.of("sleep", "300"), dir.resolve("logs/sleeper.log"));

        assertThat(Files.readString(dir.resolve("pids/sleeper.pid")).trim()).isEqualTo(Long.toString(sleeper.pid()));
        // until the spawned child has exec'd into its command (setsid, then sleep), its arguments are the spawner's
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(supervisor.running("sleeper", "300")).contains(sleeper));
        assertThat(supervisor.running("sleeper", "30"))
                .as("a marker must be a whole argument")
                .isEmpty();
        assertThat(supervisor.running("other", "300")).isEmpty();

        supervisor.stop(Map.of("sleeper", "300"));
        assertThat(sleeper.isAlive()).isFalse();
        assertThat(dir.resolve("pids/sleeper.pid")).doesNotExist();
        assertThat(out.toString()).contains("stopped sleeper");
    }

    @Test
    void aPidFileOfAnotherProcessIsNotOurs() throws Exception {
        Path dir = Path.of("target", "supervisor-test-stale").toAbsolutePath();
        Supervisor supervisor = new Supervisor(dir.resolve("pids"), console, Duration.ofSeconds(5));
        // this JVM's pid: alive, but not started with the marker
        supervisor.record("kafka", ProcessHandle.current().pid());
        assertThat(supervisor.running("kafka", "/nowhere/server.properties")).isEmpty();
        supervisor.stop(Map.of("kafka", "/nowhere/server.properties"));
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }
}
