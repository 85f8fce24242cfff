package io.cloudnexus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PostgresDatabaseResourceTest {

    @Test
    void givesAFreshDatabaseEachStart() throws Exception {
        PostgresDatabaseResource resource = new PostgresDatabaseResource();
        resource.init(Map.of("database", "support-check"));
        Map<String, String> config = resource.start();
        String url = config.get("quarkus.datasource.jdbc.url");
        assertThat(url).endsWith("cn_test_support_check");

        try (Connection c = DriverManager.getConnection(
                url, config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"))) {
            c.createStatement().execute("CREATE TABLE leftover (id int)");
        }
        // a second start drops what the first left behind
        config = resource.start();
        try (Connection c = DriverManager.getConnection(
                        url, config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = 'leftover'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void startsAnEmbeddedServerWhenNothingListensOnTheConfiguredAddress() throws Exception {
        int nothingThere = ServiceProcess.freePort();
        PostgresDatabaseResource.Server server = PostgresDatabaseResource.serverFor(
                "jdbc:postgresql://127.0.0.1:" + nothingThere + "/postgres", "postgres", "");
        assertThat(server.adminUrl())
                .startsWith("jdbc:postgresql://127.0.0.1:")
                .doesNotContain(":" + nothingThere + "/");
        try (Connection c = DriverManager.getConnection(server.adminUrl(), server.user(), server.password());
                ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("postgres");
        }
    }

    @Test
    void usesTheConfiguredServerWhenOneListens() {
        String url = "jdbc:postgresql://127.0.0.1:" + PostgresDatabaseResource.serverPort() + "/postgres";
        assertThat(PostgresDatabaseResource.serverFor(url, "postgres", "").adminUrl())
                .isEqualTo(url);
    }

    @Test
    void refusesUnsafeNames() {
        assertThatThrownBy(() -> PostgresDatabaseResource.recreate("x; DROP DATABASE postgres"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
