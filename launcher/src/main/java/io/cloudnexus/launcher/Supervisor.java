package io.cloudnexus.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processes the launcher starts, remembered in pid files ({@code <local>/pids/<name>.pid}) so that another
 * run ({@code --stop}, {@code --status}) finds them. A pid counts only while its process is alive AND its
 * command line ({@link ProcessHandle.Info}) still holds the marker it was started with (the run's
 * {@code -Dcloudnexus.local=<dir>}, the broker's properties file): a pid reused by an unrelated process is never
 * signalled.
 */
final class Supervisor {

    private static final boolean HAS_SETSID =
            Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"));

    private final Path pids;
    private final Console console;
    private final Duration stopTimeout;

    Supervisor(Path pids, Console console, Duration stopTimeout) {
        this.pids = pids;
        this.console = console;
        this.stopTimeout = stopTimeout;
    }

    /**
     * Starts {@code command} in its own session (so a terminal's Ctrl-C reaches only the launcher, which then
     * stops everything in order), stdout and stderr to {@code log} (the previous one kept as {@code .1}), and
     * records its pid.
     */
    ProcessHandle start(String name, List<String> command, Path log) {
        List<String> full = new ArrayList<>();
        if (HAS_SETSID) {
            full.add("setsid");
        }
        full.addAll(command);
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(pids);
            if (Files.exists(log)) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            Process process = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(log.toFile())
                    .start();
            Files.writeString(pidFile(name), process.pid() + "\n");
            return process.toHandle();
        } catch (IOException e) {
            throw new LauncherException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Records the pid of a process started elsewhere (the launcher itself). */
    void record(String name, long pid) {
        try {
            Files.createDirectories(pids);
            Files.writeString(pidFile(name), pid + "\n");
        } catch (IOException e) {
            throw new LauncherException("cannot write " + pidFile(name) + ": " + e.getMessage(), e);
        }
    }

    /** The live process recorded under {@code name} whose command line contains {@code marker}. */
    Optional<ProcessHandle> running(String name, String marker) {
        return pid(name).flatMap(ProcessHandle::of).filter(h -> matches(h, marker));
    }

    /**
     * Whether {@code handle} is alive and {@code marker} is its executable or one whole argument of its command
     * line (a jar path, a properties file, {@code -Dcloudnexus.local=<dir>}: no prefix of another run's marker).
     */
    static boolean matches(ProcessHandle handle, String marker) {
        if (!handle.isAlive()) {
            return false;
        }
        ProcessHandle.Info info = handle.info();
        return info.command().filter(marker::equals).isPresent()
                || java.util.Arrays.asList(info.arguments().orElse(new String[0]))
                        .contains(marker);
    }

    Optional<Long> pid(String name) {
        try {
            String text = Files.readString(pidFile(name)).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void forget(String name) {
        try {
            Files.deleteIfExists(pidFile(name));
        } catch (IOException e) {
            console.warn("cannot delete " + pidFile(name) + ": " + e.getMessage());
        }
    }

    /**
     * SIGTERMs the named processes (name to marker) together, waits up to the stop timeout, then SIGKILLs what
     * is left; forgets their pid files.
     */
    void stop(Map<String, String> names) {
        Map<String, ProcessHandle> signalled = new LinkedHashMap<>();
        names.forEach((name, marker) -> {
            running(name, marker).ifPresent(h -> {
                h.destroy();
                signalled.put(name, h);
            });
            forget(name);
        });
        Instant deadline = Instant.now().plus(stopTimeout);
        for (Map.Entry<String, ProcessHandle> e : signalled.entrySet()) {
            ProcessHandle h = e.getValue();
            if (!await(h, Duration.between(Instant.now(), deadline))) {
                console.warn(e.getKey() + " did not stop within " + stopTimeout.toSeconds() + "s: SIGKILL");
                h.destroyForcibly();
                await(h, Duration.ofSeconds(10));
            }
            console.stopped(e.getKey());
        }
    }

    /** Waits until {@code handle} has exited; false when it is still alive after {@code timeout}. */
    static boolean await(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(Math.max(1, timeout.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !handle.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    private Path pidFile(String name) {
        return pids.resolve(name + ".pid");
    }
}
