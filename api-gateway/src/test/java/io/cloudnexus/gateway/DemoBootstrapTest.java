package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.gateway.service.DemoBootstrap;
import io.quarkus.test.junit.QuarkusTest;

/** The local platform's demo credentials: written once (mode 600), kept while valid, renewed when not. */
@QuarkusTest
@GatewayTest
class DemoBootstrapTest {

    @Inject
    DemoBootstrap demo;

    @Test
    void writesWorkingCredentialsKeepsThemAndRenewsARevokedKey() throws Exception {
        Path file = Path.of("target/demo/demo-credentials.env");
        Files.deleteIfExists(file);

        String accountId = demo.ensureCredentials();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("CN_ACCOUNT_ID=" + accountId);
        assertThat(lines.get(1)).matches("CN_API_KEY=cn_live_sk_[0-9A-Za-z]{40}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String key = lines.get(1).substring("CN_API_KEY=".length());
        assertThat(given().auth()
                        .oauth2(key)
                        .header("X-CloudNexus-Id", accountId)
                        .contentType("application/json")
                        .body("{}")
                        .post("/v2/servers")
                        .statusCode())
                .isEqualTo(200);

        assertThat(demo.ensureCredentials()).isEqualTo(accountId);
        assertThat(Files.readAllLines(file)).isEqualTo(lines);

        String keyId = given().auth()
                .oauth2(Accounts.ADMIN_KEY)
                .get("/admin/accounts/{id}/keys", accountId)
                .then()
                .extract()
                .path("[0].id");
        given().auth()
                .oauth2(Accounts.ADMIN_KEY)
                .delete("/admin/accounts/{a}/keys/{k}", accountId, keyId)
                .then()
                .statusCode(200);
        assertThat(demo.ensureCredentials()).isEqualTo(accountId);
        List<String> renewed = Files.readAllLines(file);
        assertThat(renewed.get(0)).isEqualTo("CN_ACCOUNT_ID=" + accountId);
        assertThat(renewed.get(1)).isNotEqualTo(lines.get(1)).startsWith("CN_API_KEY=cn_live_sk_");
    }
}
