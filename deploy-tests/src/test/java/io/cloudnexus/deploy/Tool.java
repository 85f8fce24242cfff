package io.cloudnexus.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command-line tool the deployment files are checked with (kubectl, docker-compose).
 * A missing tool is a test failure with the install hint, never a skip: CI installs them (.ci/run).
 */
final class Tool {

    private static final long TIMEOUT_SECONDS = 120;

    /** What a run printed. */
    record Result(int exitCode, String stdout, String stderr) {}

    private Tool() {}

    /**
     * Runs {@code command} in {@code dir}; the first element is the executable, overridable with the
     * environment variable {@code overrideVar} (e.g. KUBECTL=/opt/bin/kubectl).
     */
    static Result run(Path dir, String overrideVar, String installHint, String... command) {
        List<String> argv = new ArrayList<>(List.of(command));
        String override = System.getenv(overrideVar);
        if (override != null && !override.isBlank()) {
            argv.set(0, override);
        }
        try {
            Path out = Files.createTempFile("cn-tool", ".out");
            Path err = Files.createTempFile("cn-tool", ".err");
            try {
                Process process;
                try {
                    process = new ProcessBuilder(argv)
                            .directory(dir.toFile())
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile())
                            .start();
                } catch (IOException e) {
                    throw new AssertionError(
                            "'" + argv.get(0) + "' cannot be run (" + e.getMessage() + "). " + installHint
                                    + " (or point " + overrideVar + " at it). .ci/run installs it.",
                            e);
                }
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", argv) + " did not finish in " + TIMEOUT_SECONDS + " s");
                }
                return new Result(
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("running " + argv + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code kubectl kustomize <dir>}: the rendered YAML. */
    static String kustomize(Path overlay) {
        Result result = run(
                overlay,
                "KUBECTL",
                "kubectl is required to render deploy/k8s: install Debian's kubernetes-client (apt-get install kubernetes-client)",
                "kubectl",
                "kustomize",
                ".");
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    "kubectl kustomize " + overlay + " failed (exit " + result.exitCode() + "):\n" + result.stderr());
        }
        return result.stdout();
    }

    /** {@code docker-compose -f <file> config}: the resolved compose file. */
    static String composeConfig(Path composeFile) {
        Result result = run(
                composeFile.getParent(),
                "DOCKER_COMPOSE",
                "docker-compose is required to check docker-compose.yml: install Debian's docker-compose (apt-get install docker-compose)",
                "docker-compose",
                "-f",
                composeFile.getFileName().toString(),
                "config");
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    "docker-compose config failed (exit " + result.exitCode() + "):\n" + result.stderr());
        }
        return result.stdout();
    }
}
