package io.cloudnexus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.cloudnexus.launcher.KafkaBroker;
import io.cloudnexus.launcher.LocalPostgres;
import io.cloudnexus.launcher.Topology;
import io.cloudnexus.launcher.Topology.Service;
import io.cloudnexus.testsupport.ServiceProcess;

/**
 * On a machine with only a JDK: no PostgreSQL answers on the configured address (a free port, so the machine's
 * own server is left alone), and {@code ./run-platform.sh --detach} starts an embedded one there, brings the
 * platform up on it, returns; {@code --status} sees it all; {@code --stop} stops everything, the database too.
 */
class EmbeddedPostgresPlatformIT {

    @Test
    void thePlatformComesUpOnAnEmbeddedPostgresAndStopsCompletely() {
        int nothingListens = ServiceProcess.freePort();
        LocalPlatform platform =
                new LocalPlatform("e2e-embedded", "127.0.0.1", nothingListens, "postgres", "", "cloudnexus_");
        try {
            LocalPlatform.Run up = platform.run(Duration.ofMinutes(7), "--detach", "--reset");
            assertThat(up.exitCode()).as(up.output()).isZero();
            assertThat(up.output())
                    .contains("no PostgreSQL answers at 127.0.0.1:" + nothingListens
                            + ": starting an embedded PostgreSQL")
                    .contains("embedded PostgreSQL ready on 127.0.0.1:" + nothingListens)
                    .contains("CloudNexus is ready")
                    .contains("Running in the background.");
            if (LocalPostgres.isRoot()) {
                assertThat(up.output()).contains("running as the system user " + LocalPostgres.SYSTEM_USER);
            }

            Properties demo = platform.demoCredentials();
            assertThat(up.output()).contains("CN_API_KEY=" + demo.getProperty("CN_API_KEY"));
            given().baseUri(platform.url(Topology.GATEWAY, ""))
                    .header("Authorization", "Bearer " + demo.getProperty("CN_API_KEY"))
                    .get("/v2/servers")
                    .then()
                    .statusCode(200);

            LocalPlatform.Run status = platform.run(Duration.ofSeconds(60), "--status");
            assertThat(status.output())
                    .containsPattern("postgres +embedded, running \\(pid \\d+\\), 127.0.0.1:" + nothingListens);
            for (Service s : Topology.SERVICES) {
                assertThat(status.output()).containsPattern(s.module() + " +running \\(pid \\d+\\).*  ready");
            }
        } finally {
            LocalPlatform.Run down = platform.run(Duration.ofMinutes(2), "--stop");
            assertThat(down.exitCode()).as(down.output()).isZero();
            assertThat(down.output()).contains("stopped postgres (embedded)").contains("==> stopped");
        }
        for (Service s : Topology.SERVICES) {
            assertThat(KafkaBroker.listening("127.0.0.1", platform.ports.get(s)))
                    .as(s.module())
                    .isFalse();
        }
        assertThat(KafkaBroker.listening("127.0.0.1", nothingListens)).isFalse();
        assertThat(platform.run(Duration.ofSeconds(60), "--stop").output()).contains("nothing is running");
    }
}
