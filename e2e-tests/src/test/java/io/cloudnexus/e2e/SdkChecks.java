package io.cloudnexus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.e2e.TestAccounts.Account;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** What the JS and the Python SDK ITs both check against the platform, through the gateway's REST API. */
final class SdkChecks {

    private static final Pattern DEPLOYED = Pattern.compile("Deployed: (srv_[0-9A-Za-z]+)");

    private SdkChecks() {}

    /**
     * The reference snippet printed exactly {@code Deployed: srv_...}, and that server, one of the two it asked
     * for ({@code count: 2}, professional, us-east-1, ubuntu-22.04), exists for the account and no other.
     */
    static void snippetDeployed(Platform platform, String output, Account account, Account other) {
        Matcher m = DEPLOYED.matcher(output.strip());
        assertThat(m.matches()).as("the snippet's output: %s", output).isTrue();
        String serverId = m.group(1);
        Response server = as(platform, account).get("/v2/servers/" + serverId);
        assertThat(server.statusCode()).as(server.asString()).isEqualTo(200);
        assertThat(server.<String>path("plan")).isEqualTo("professional");
        assertThat(server.<String>path("region")).isEqualTo("us-east-1");
        assertThat(server.<String>path("image")).isEqualTo("ubuntu-22.04");
        Response servers = as(platform, account).get("/v2/servers?limit=100");
        assertThat(servers.<List<String>>path("data.id")).hasSize(2).contains(serverId);
        assertThat(as(platform, other).get("/v2/servers/" + serverId).statusCode())
                .isEqualTo(404);
    }

    /** The tour's report (its last line, {@code TOUR <json>}), after checking it exited with 0. */
    static JsonNode tourReport(Command.Result run) {
        assertThat(run.exitCode()).as("the tour failed:\n%s", run.output()).isZero();
        String last = run.output().strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).as(run.output()).startsWith("TOUR ");
        return CanonicalJson.parse(last.substring("TOUR ".length()));
    }

    /**
     * The tour ran the installed package (under {@code installed}), and what it reports is what the platform has:
     * its endpoint and the delivery (delivered) for the tour's account only, the servers it paged through, a
     * Retry-After it waited for.
     */
    static void tourMatchesPlatform(Platform platform, JsonNode report, Path installed, Account tour, Account other) {
        assertThat(Path.of(report.path("sdk").asText())).startsWith(installed);
        String endpointId = report.path("endpoint_id").asText();
        Response endpoint = as(platform, tour).get("/v2/webhooks/" + endpointId);
        assertThat(endpoint.statusCode()).as(endpoint.asString()).isEqualTo(200);
        assertThat(endpoint.<String>path("url")).startsWith("http://127.0.0.1:").endsWith("/hook");
        assertThat(as(platform, other).get("/v2/webhooks/" + endpointId).statusCode())
                .isEqualTo(404);

        Response delivery = as(platform, tour)
                .get("/v2/webhooks/" + endpointId + "/deliveries/"
                        + report.path("delivery_id").asText());
        assertThat(delivery.statusCode()).as(delivery.asString()).isEqualTo(200);
        assertThat(delivery.<String>path("status")).isEqualTo("delivered");
        assertThat(delivery.<String>path("event_id"))
                .isEqualTo(report.path("event_id").asText());

        List<String> serverIds = new ArrayList<>();
        report.path("server_ids").forEach(id -> serverIds.add(id.asText()));
        assertThat(serverIds).hasSize(5).contains(report.path("server_id").asText());
        assertThat(as(platform, tour).get("/v2/servers?limit=100").<List<String>>path("data.id"))
                .containsExactlyInAnyOrderElementsOf(serverIds);
        assertThat(report.path("pages")).hasSize(3);

        assertThat(report.path("retry_after").asDouble()).isBetween(1.0, 60.0);
        assertThat(report.path("waited_seconds").asDouble())
                .isGreaterThanOrEqualTo(report.path("retry_after").asDouble() - 2);
    }

    static RequestSpecification as(Platform platform, Account account) {
        return given().baseUri(platform.gatewayUrl()).header("Authorization", "Bearer " + account.apiKey());
    }
}
