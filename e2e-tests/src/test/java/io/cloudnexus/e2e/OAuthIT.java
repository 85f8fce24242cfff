package io.cloudnexus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.cloudnexus.launcher.Topology;
import io.cloudnexus.testsupport.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * OAuth 2.0 client credentials against the real platform with a standard client library no one here wrote:
 * {@code oauth4webapi} (npm, version pinned in {@code src/test/resources/oauth/package.json}, installed into
 * {@code target/oauth-client}) run by Node.js. It discovers the metadata, gets tokens with
 * {@code client_secret_basic} and {@code client_secret_post}, lists servers, and reads {@code invalid_client} and
 * {@code invalid_scope}. A second gateway replica (the packaged jar, on another port, same database and services,
 * default revocation refresh of 10 s) accepts the first replica's tokens and refuses a revoked one within 30 s;
 * started with a 2 s token lifetime, its own tokens are 401 once expired.
 */
class OAuthIT {

    private static Platform platform;
    private static ServiceProcess replica;
    private static Path client;

    @BeforeAll
    static void start() throws Exception {
        platform = Platform.get();
        client = installClient();
        LocalPlatform local = platform.local;
        String prefix = local.env.get("CN_DB_PREFIX");
        Path keys = local.local.resolve("keys");
        replica = ServiceProcess.of(
                        local.root.resolve("api-gateway/target/quarkus-app/quarkus-run.jar"), "oauth-gateway-replica")
                .property(
                        "quarkus.datasource.jdbc.url",
                        "jdbc:postgresql://" + local.env.get("CN_DB_HOST") + ":" + local.env.get("CN_DB_PORT") + "/"
                                + Topology.GATEWAY.database(prefix))
                .property("quarkus.datasource.username", local.env.get("CN_DB_USER"))
                .property("quarkus.datasource.password", local.env.get("CN_DB_PASSWORD"))
                .property("cloudnexus.identity.signing-key-location", "file:" + keys.resolve("identity-private.pem"))
                // the same public issuer as the first replica: both stand behind one URL in a deployment
                .property("cloudnexus.gateway.oauth.issuer", platform.gatewayUrl())
                .property("cloudnexus.gateway.oauth.token-lifetime", "2s")
                .property("cloudnexus.gateway.oauth.clock-skew", "0s");
        for (Topology.Service backend : Topology.BACKENDS) {
            replica.property("cloudnexus.gateway.routes." + backend.name(), platform.url(backend, ""));
        }
        replica.start().awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.stop();
        }
    }

    @Test
    void aStandardClientObtainsATokenListsServersAndReadsTheOAuthErrors() throws Exception {
        Map<String, String> credentials = newClient("read", "write");
        JsonPath out = JsonPath.from(
                node("discover-and-use", platform.gatewayUrl(), credentials.get("id"), credentials.get("secret")));
        assertThat(out.getString("issuer")).isEqualTo(platform.gatewayUrl());
        assertThat(out.getString("token_endpoint")).isEqualTo(platform.gatewayUrl() + "/v2/oauth/token");
        assertThat(out.getString("token_type")).isEqualToIgnoringCase("bearer");
        assertThat(out.getInt("expires_in")).isEqualTo(3600);
        assertThat(out.getString("scope")).isEqualTo("read write");
        assertThat(out.getInt("servers_status")).isEqualTo(200);
        assertThat(out.getList("servers.data")).isNotNull();
        assertThat(out.getString("post_scope")).isEqualTo("read");
        assertThat(out.getString("wrong_secret")).isEqualTo("401 invalid_client");
        assertThat(out.getString("wrong_secret_post")).isEqualTo("401 invalid_client");
        assertThat(out.getString("too_broad_scope")).isEqualTo("400 invalid_scope");

        // the same token is accepted by the second replica: same signing keys, same issuer
        assertThat(servers(replica.url(""), out.getString("access_token")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aRevokedTokenIs401OnTheOtherReplicaWithin30Seconds() throws Exception {
        Map<String, String> credentials = newClient("read");
        String token = JsonPath.from(node(
                        "discover-and-use", platform.gatewayUrl(), credentials.get("id"), credentials.get("secret")))
                .getString("access_token");
        assertThat(servers(replica.url(""), token).statusCode()).isEqualTo(200);

        long revokedAt = System.nanoTime();
        assertThat(node("revoke", platform.gatewayUrl(), credentials.get("id"), credentials.get("secret"), token)
                        .trim())
                .isEqualTo("revoked");
        assertThat(servers(platform.gatewayUrl(), token).statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> servers(replica.url(""), token).statusCode() == 401);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - revokedAt);
        System.out.println("OAuthIT: revoked token refused by the second replica after " + seconds + " s");
        Response refused = servers(replica.url(""), token);
        assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        Map<String, String> credentials = newClient("read");
        // the second replica issues tokens living 2 s (its token endpoint; the issuer is the shared one)
        String token = node(
                        "token",
                        platform.gatewayUrl(),
                        credentials.get("id"),
                        credentials.get("secret"),
                        replica.url("/v2/oauth/token"))
                .trim();
        assertThat(servers(replica.url(""), token).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> servers(replica.url(""), token).statusCode() == 401);
        assertThat(servers(replica.url(""), token).<String>path("detail")).contains("expired");
    }

    private static Map<String, String> newClient(String... scopes) {
        Response created = given().baseUri(platform.gatewayUrl())
                .header("Authorization", "Bearer " + platform.apiKey)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "oauth-it", "scopes", List.of(scopes)))
                .post("/v2/oauth/clients");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        return Map.of("id", created.path("client_id"), "secret", created.path("client_secret"));
    }

    private static Response servers(String baseUrl, String token) {
        return given().baseUri(baseUrl.replaceAll("/$", ""))
                .header("Authorization", "Bearer " + token)
                .get("/v2/servers");
    }

    /** npm-installs the pinned oauth4webapi with the script into target/oauth-client (once). */
    private static Path installClient() throws Exception {
        Path dir = Path.of("target", "oauth-client").toAbsolutePath();
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "oauth-client.mjs")) {
            try (InputStream in = OAuthIT.class.getResourceAsStream("/oauth/" + file)) {
                Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(dir.resolve("node_modules/oauth4webapi"))) {
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--silent")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(npm.waitFor(180, TimeUnit.SECONDS)).as(out).isTrue();
            assertThat(npm.exitValue()).as("npm install: " + out).isZero();
        }
        return dir;
    }

    /** Runs the client script; its standard output (fails with its output on a non-zero exit). */
    private static String node(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "oauth-client.mjs"));
        command.addAll(List.of(args));
        Process node = new ProcessBuilder(command)
                .directory(client.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(node.exitValue())
                .as("node " + String.join(" ", args.length > 0 ? args[0] : "") + ": " + out)
                .isZero();
        return out;
    }
}
