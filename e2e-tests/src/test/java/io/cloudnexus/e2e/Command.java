package io.cloudnexus.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real client program (node, npm, npx, python3) run as a process: in a directory, with exactly the environment
 * given (plus {@code PATH} and {@code HOME}), its output (stdout and stderr) in a file. A program that is not
 * installed fails the test with a message saying so: CI installs node, npm and python3, so a missing one is an
 * error, never a reason to skip.
 */
final class Command {

    record Result(int exitCode, String output) {}

    private Command() {}

    /** Runs {@code command} to its end (at most {@code timeout}, then it is killed and the test fails). */
    static Result run(Path dir, Map<String, String> env, Duration timeout, String... command) {
        Path out = outputFile(command[0]);
        Process p = start(dir, env, out, command);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(p);
                throw new AssertionError(
                        String.join(" ", command) + " did not finish within " + timeout + ":\n" + output(out));
            }
        } catch (InterruptedException e) {
            stop(p);
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Result result = new Result(p.exitValue(), output(out));
        delete(out);
        return result;
    }

    /** Runs {@code command} and fails with its output unless it exits with 0; returns the output. */
    static String succeed(Path dir, Map<String, String> env, Duration timeout, String... command) {
        Result r = run(dir, env, timeout, command);
        if (r.exitCode() != 0) {
            throw new AssertionError(
                    String.join(" ", command) + " exited with " + r.exitCode() + " in " + dir + ":\n" + r.output());
        }
        return r.output();
    }

    /** Starts {@code command} in the background, its output going to {@code out}. */
    static Process start(Path dir, Map<String, String> env, Path out, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().clear();
        for (String inherited : List.of("PATH", "HOME")) {
            if (System.getenv(inherited) != null) {
                pb.environment().put(inherited, System.getenv(inherited));
            }
        }
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot run " + command[0] + " (is it installed and on the PATH? CI installs node, npm and"
                            + " python3): " + e.getMessage(),
                    e);
        }
    }

    /** Stops {@code p} and every process it started (npx runs node as a child), and waits until all are gone. */
    static void stop(Process p) {
        List<ProcessHandle> all = new java.util.ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
                h.onExit().join();
            }
        }
        if (all.stream().anyMatch(ProcessHandle::isAlive)) {
            throw new AssertionError("processes still alive after being stopped: " + all);
        }
    }

    static String output(Path out) {
        try {
            return Files.readString(out);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    static void delete(Path out) {
        try {
            Files.deleteIfExists(out);
        } catch (IOException e) {
            // a temporary file left behind is no test failure
        }
    }

    /** A new file for a program's output, outside any directory a test inspects. */
    static Path outputFile(String program) {
        try {
            return Files.createTempFile(Path.of(program).getFileName() + "-", ".log");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
