package io.cloudnexus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.cloudnexus.launcher.Topology;

/**
 * {@code ./run-platform.sh} brings all five services up as separate processes, wired together, and only the
 * gateway is a way in.
 */
class PlatformReadyIT {

    private static Platform platform;

    @BeforeAll
    static void start() {
        platform = Platform.get();
    }

    @Test
    void everyServiceIsReady() {
        assertThat(platform.services()).hasSize(5);
        platform.services()
                .forEach((name, url) -> assertThat(
                                given().get(url + "/q/health/ready").statusCode())
                        .as(name)
                        .isEqualTo(200));
    }

    @Test
    void theLauncherReportsEveryProcessRunningAndReady() {
        LocalPlatform.Run status = platform.local.run(Duration.ofSeconds(60), "--status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).containsPattern("kafka +running \\(pid \\d+\\)");
        for (String service : platform.services().keySet()) {
            assertThat(status.output())
                    .as(status.output())
                    .containsPattern(service + " +running \\(pid \\d+\\).*  ready");
        }
    }

    @Test
    void theGatewayBootstrappedADemoAccountAndKey() {
        assertThat(platform.accountId).startsWith("acc_");
        assertThat(platform.apiKey).startsWith("cn_live_sk_");
    }

    @Test
    void servicesRefuseRequestsThatBypassTheGateway() {
        assertThat(given().get(platform.url(Topology.COMPUTE, "/servers")).statusCode())
                .isEqualTo(401);
        assertThat(given().header("Authorization", "Bearer " + platform.apiKey)
                        .get(platform.url(Topology.COMPUTE, "/servers"))
                        .statusCode())
                .isEqualTo(401);
        assertThat(given().get(platform.url(Topology.WEBHOOK, "/webhooks")).statusCode())
                .isEqualTo(401);
    }
}
