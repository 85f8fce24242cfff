package io.cloudnexus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The embedded server starts, answers queries, keeps its data across a restart and stops. On this machine and in
 * CI the tests run as root, which PostgreSQL refuses: there it must run as the unprivileged system user.
 */
class LocalPostgresTest {

    @Test
    void startsAnswersKeepsItsDataAndStops() throws Exception {
        Path dir = Path.of("target", "local-postgres-test").toAbsolutePath();
        LocalPostgres.deleteTree(dir.resolve("data"));
        int port = freePort();
        LocalPostgres pg = LocalPostgres.of(dir, dir.resolve("data"), dir.resolve("postgres.log"), port, "postgres");
        try {
            pg.start(Duration.ofSeconds(120));
            assertThat(pg.postmaster()).isPresent();
            if (LocalPostgres.isRoot()) {
                assertThat(pg.runAs()).contains(LocalPostgres.SYSTEM_USER);
                assertThat(pg.postmaster().get().info().user()).contains(LocalPostgres.SYSTEM_USER);
                assertThat(Files.getOwner(dir.resolve("data")).getName()).isEqualTo(LocalPostgres.SYSTEM_USER);
            } else {
                assertThat(pg.runAs()).isEmpty();
            }
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "");
                    ResultSet rs = c.createStatement()
                            .executeQuery("SELECT current_user, current_setting('server_version_num')::int")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("postgres");
                assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(170000);
                c.createStatement().execute("CREATE DATABASE kept");
            }
            pg.stop();
            assertThat(pg.postmaster()).isEmpty();
            assertThat(KafkaBroker.listening("127.0.0.1", port)).isFalse();

            pg.start(Duration.ofSeconds(120));
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("kept"), "postgres", "")) {
                assertThat(c.isValid(5)).isTrue();
            }
        } finally {
            pg.stop();
        }
        assertThat(pg.postmaster()).isEmpty();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
