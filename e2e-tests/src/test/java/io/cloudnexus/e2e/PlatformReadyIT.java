package io.cloudnexus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** All five services come up as separate processes, wired together, and only the gateway is a way in. */
class PlatformReadyIT {

    private static Platform platform;

    @BeforeAll
    static void start() {
        platform = Platform.get();
    }

    @Test
    void everyServiceIsReady() {
        platform.services().forEach((name, service) -> assertThat(
                given().get(service.url("/q/health/ready")).statusCode()).as(name).isEqualTo(200));
    }

    @Test
    void theGatewayBootstrappedADemoAccountAndKey() {
        assertThat(platform.accountId).startsWith("acc_");
        assertThat(platform.apiKey).startsWith("cn_live_sk_");
    }

    @Test
    void servicesRefuseRequestsThatBypassTheGateway() {
        assertThat(given().get(platform.compute.url("/servers")).statusCode()).isEqualTo(401);
        assertThat(given().header("Authorization", "Bearer " + platform.apiKey)
                .get(platform.compute.url("/servers")).statusCode()).isEqualTo(401);
        assertThat(given().get(platform.webhook.url("/webhooks")).statusCode()).isEqualTo(401);
    }
}
