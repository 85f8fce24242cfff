package io.cloudnexus.contracts;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs {@code JSON.stringify(JSON.parse(input))} in a real Node.js process. */
final class NodeJs {

    private static final String SCRIPT =
            "const s=require('fs').readFileSync(0,'utf8');process.stdout.write(JSON.stringify(JSON.parse(s)))";

    private NodeJs() {}

    /** The node executable on the PATH, if any. */
    static Optional<Path> executable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The bytes node writes for {@code JSON.stringify(JSON.parse(utf8Input))}. */
    static byte[] reserialize(byte[] utf8Input) throws IOException, InterruptedException {
        Path node = executable().orElseThrow(() -> new IllegalStateException("node not on PATH"));
        Process process = new ProcessBuilder(node.toString(), "-e", SCRIPT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(utf8Input);
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(stdout);
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("node timed out");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("node exited with " + process.exitValue());
        }
        return stdout.toByteArray();
    }
}
