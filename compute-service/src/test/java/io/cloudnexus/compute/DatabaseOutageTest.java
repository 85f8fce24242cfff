package io.cloudnexus.compute;

import static io.cloudnexus.compute.ComputeTesting.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.PostgresDatabaseResource;
import io.cloudnexus.testsupport.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The service reaches PostgreSQL through a {@link TcpProxy}; cutting it (open connections dropped, new ones refused)
 * is a database outage. The API then answers 503 problem details with Retry-After, never 500, and serves again as
 * soon as the proxy is restored, without a restart. The real PostgreSQL server is never touched.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.Profile.class)
class DatabaseOutageTest {

    /** Only the broker and the proxied database (not the module's global, direct database resource). */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(ProxiedDatabase.class));
        }
    }

    /** A fresh database reached through {@link #PROXY}. */
    public static class ProxiedDatabase implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            URI direct = URI.create(
                    PostgresDatabaseResource.recreate("compute_service_outage").substring("jdbc:".length()));
            PROXY.forwardTo(direct.getHost(), direct.getPort() < 0 ? 5432 : direct.getPort())
                    .restore();
            String proxied = "jdbc:postgresql://127.0.0.1:" + PROXY.port() + direct.getRawPath()
                    + (direct.getRawQuery() == null ? "" : "?" + direct.getRawQuery());
            return Map.of(
                    "quarkus.datasource.jdbc.url",
                    proxied,
                    "quarkus.datasource.username",
                    PostgresDatabaseResource.user(),
                    "quarkus.datasource.password",
                    PostgresDatabaseResource.password());
        }

        @Override
        public void stop() {
            PROXY.close();
        }
    }

    static final TcpProxy PROXY = TcpProxy.onFreePort();

    @AfterEach
    void restore() {
        PROXY.restore();
    }

    @Test
    void aDatabaseOutageIsA503WithRetryAfterAndTheServiceRecoversWithoutARestart() {
        String account = ComputeTesting.newAccount();
        String id = ComputeTesting.createServer(account);

        PROXY.cut();
        List<Integer> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Response r = as(account).body(ComputeTesting.createBody(1)).post("/servers");
                    seen.add(r.statusCode());
                    return r.statusCode() == 503;
                });
        assertThat(seen).as("statuses during the outage").doesNotContain(500).doesNotContain(201);
        assertUnavailable(as(account).body(ComputeTesting.createBody(1)).post("/servers"));
        assertUnavailable(as(account).get("/servers/" + id));
        assertUnavailable(as(account).get("/servers"));
        assertUnavailable(as(account).body("{\"name\":\"renamed\"}").put("/servers/" + id));

        PROXY.restore();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Response r = as(account).body(ComputeTesting.createBody(1)).post("/servers");
                    assertThat(r.statusCode()).as(r.asString()).isIn(201, 503);
                    return r.statusCode() == 201;
                });
        assertThat(as(account).get("/servers/" + id).statusCode()).isEqualTo(200);
        assertThat(as(account).get("/servers").jsonPath().getList("data")).hasSizeGreaterThanOrEqualTo(2);
    }

    private static void assertUnavailable(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.header("Retry-After")).isEqualTo("1");
        assertThat(r.jsonPath().getInt("status")).isEqualTo(503);
        assertThat(r.jsonPath().getString("request_id")).isNotBlank();
        assertThat(r.asString())
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("jdbc:");
    }
}
