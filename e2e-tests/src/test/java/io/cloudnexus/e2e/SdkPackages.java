package io.cloudnexus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

/**
 * The SDKs as a customer gets them: {@code npm pack} of {@code sdks/js} (built by the {@code sdks} module earlier
 * in the reactor) installed into a new npm project, and {@code pip install} of {@code sdks/python} into a fresh
 * venv, each in a directory outside the source tree. No package registry is used: the JS package has no
 * dependencies, and the Python package builds with its in-tree, standard-library-only backend ({@code --no-index}).
 */
final class SdkPackages {

    static final Path SDKS = Path.of(System.getProperty("cloudnexus.root", ".."))
            .toAbsolutePath()
            .normalize()
            .resolve("sdks");
    static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);

    private SdkPackages() {}

    /** Packs the JS SDK and installs the tarball into {@code app} (a new npm project); returns {@code app}. */
    static Path installJs(Path dir) throws IOException {
        Path js = SDKS.resolve("js");
        assertThat(js.resolve("dist/index.js"))
                .as("the JS SDK is built by the sdks module: run the e2e tests with -am (or after ./mvnw -pl sdks"
                        + " compile)")
                .exists();
        Path packed = Files.createDirectories(dir.resolve("packed"));
        String tarball = Command.succeed(
                        js,
                        Map.of(),
                        INSTALL_TIMEOUT,
                        "npm",
                        "pack",
                        "--silent",
                        "--pack-destination",
                        packed.toString())
                .strip();
        tarball = tarball.substring(tarball.lastIndexOf('\n') + 1);
        assertThat(packed.resolve(tarball)).exists();
        Path app = Files.createDirectories(dir.resolve("js-app"));
        Files.writeString(
                app.resolve("package.json"), "{\"name\":\"sdk-e2e\",\"version\":\"1.0.0\",\"private\":true}\n");
        Command.succeed(
                app,
                Map.of(),
                INSTALL_TIMEOUT,
                "npm",
                "install",
                "--offline",
                "--no-audit",
                "--no-fund",
                packed.resolve(tarball).toString());
        assertThat(app.resolve("node_modules/@cloudnexus/sdk/dist/index.js")).exists();
        assertThat(app.resolve("node_modules/@cloudnexus/sdk/dist/index.d.ts")).exists(); // typed
        assertThat(app.resolve("node_modules/.bin/cloudnexus")).exists(); // the listen CLI
        return app;
    }

    /** Creates a venv in {@code dir/venv} and pip-installs the Python SDK into it; returns the venv's python3. */
    static Path installPython(Path dir) {
        Path venv = dir.resolve("venv");
        Map<String, String> env = Map.of("PYTHONDONTWRITEBYTECODE", "1");
        Command.succeed(dir, env, INSTALL_TIMEOUT, "python3", "-m", "venv", venv.toString());
        Path python = venv.resolve("bin/python3");
        Command.succeed(
                dir,
                env,
                INSTALL_TIMEOUT,
                python.toString(),
                "-m",
                "pip",
                "install",
                "--no-index",
                "--disable-pip-version-check",
                SDKS.resolve("python").toString());
        return python;
    }

    /** Copies a file of {@code sdks/examples} (a reference snippet, byte for byte) into {@code dir}. */
    static Path copyExample(String name, Path dir) throws IOException {
        return Files.copy(
                SDKS.resolve("examples").resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Copies a test script of {@code src/test/resources/sdk} into {@code dir}. */
    static Path copyScript(String name, Path dir) throws IOException {
        return Files.copy(
                Path.of("src/test/resources/sdk", name).toAbsolutePath(),
                dir.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
