package io.cloudnexus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.e2e.TestAccounts.Account;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.restassured.http.ContentType;

/**
 * {@code @cloudnexus/sdk} as a customer installs it ({@code npm pack}, then {@code npm install} of the tarball into
 * a new project outside the source tree), run with {@code node} against the platform the e2e tests share: the
 * public reference's snippet verbatim with only {@code CN_API_KEY} and {@code CLOUDNEXUS_BASE_URL} set; a scripted
 * tour (src/test/resources/sdk/tour.mjs: a signed delivery verified with the SDK's verify, deliveries, pages of
 * servers, a real 429 waited out); and the packed {@code listen} CLI forwarding a real event to a local receiver.
 */
class JsSdkIT {

    private static final Duration RUN = Duration.ofMinutes(5);
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path work;

    private static Platform platform;
    private static Path app;
    private static Account limited;
    /** Another account: what the tests make is not visible to it (404). */
    private static Account other;

    @BeforeAll
    static void install() throws Exception {
        platform = Platform.get();
        // the tour's 429 comes from this account; its rate-limit window (60 s) starts now, so the tour waits less
        limited = TestAccounts.create(platform, "JS SDK limited", "starter", 5);
        assertThat(SdkChecks.as(platform, limited).get("/v2/regions").statusCode())
                .isEqualTo(200);
        other = TestAccounts.create(platform, "JS SDK other", "professional", null);
        app = SdkPackages.installJs(work);
    }

    private static Map<String, String> env(Account account) {
        return Map.of("CN_API_KEY", account.apiKey(), "CLOUDNEXUS_BASE_URL", platform.gatewayUrl() + "/v2");
    }

    @Test
    void theReferenceSnippetDeploysAServerFromTheInstalledPackage() throws Exception {
        Account account = TestAccounts.create(platform, "JS SDK snippet", "professional", null);
        SdkPackages.copyExample("reference-snippet.mjs", app);

        String output = Command.succeed(app, env(account), RUN, "node", "reference-snippet.mjs");

        SdkChecks.snippetDeployed(platform, output, account, other);
    }

    @Test
    void theTourCreatesAnEndpointVerifiesADeliveryPagesAndWaitsOutA429() throws Exception {
        Account tour = TestAccounts.create(platform, "JS SDK tour", "enterprise", 100_000);
        SdkPackages.copyScript("tour.mjs", app);
        Map<String, String> env = new java.util.HashMap<>(env(tour));
        env.put("CN_LIMITED_API_KEY", limited.apiKey());

        JsonNode report = SdkChecks.tourReport(Command.run(app, env, RUN, "node", "tour.mjs"));

        SdkChecks.tourMatchesPlatform(platform, report, app.resolve("node_modules"), tour, other);
    }

    @Test
    void listenForwardsARealEventThatVerifiesWithThePrintedSecret() throws Exception {
        Account account = TestAccounts.create(platform, "JS SDK listen", "professional", null);
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            Path out = Command.outputFile("listen");
            Process listen = Command.start(
                    app,
                    env(account),
                    out,
                    "npx",
                    "--no-install",
                    "@cloudnexus/sdk",
                    "listen",
                    "--forward-to",
                    receiver.url("/hook"),
                    "--events",
                    "server.*");
            try {
                Pattern ready = Pattern.compile("Ready! .* signing secret is (whsec_[A-Za-z0-9+/=]+)");
                String secret = Awaitility.await("listen's Ready! line (the stream is connected)")
                        .atMost(WAIT)
                        .pollInterval(Duration.ofMillis(100))
                        .until(
                                () -> {
                                    assertThat(listen.isAlive())
                                            .as("listen exited:\n%s", Command.output(out))
                                            .isTrue();
                                    Matcher m = ready.matcher(Command.output(out));
                                    return m.find() ? m.group(1) : null;
                                },
                                s -> s != null);

                String serverId = SdkChecks.as(platform, account)
                        .contentType(ContentType.JSON)
                        .body(Map.of("region", "us-east-1", "plan", "starter", "image", "ubuntu-22.04"))
                        .post("/v2/servers")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id");

                ReceivedRequest forwarded = receiver
                        .await(
                                list -> list.stream().anyMatch(r -> isCreatedOf(r, serverId)),
                                WAIT,
                                "server.created of " + serverId + " forwarded by listen")
                        .stream()
                        .filter(r -> isCreatedOf(r, serverId))
                        .findFirst()
                        .orElseThrow();
                JsonNode envelope = CanonicalJson.parse(forwarded.body());
                assertThat(forwarded.path()).isEqualTo("/hook");
                assertThat(forwarded.header("webhook-id"))
                        .isEqualTo(envelope.path("id").asText());
                assertThat(forwarded.header("X-CloudNexus-Event")).isEqualTo("server.created");
                assertThat(forwarded.header("X-CloudNexus-Delivery")).startsWith("dlv_local");
                // verified here independently of the SDK: both signature styles with the secret listen printed
                assertThat(forwarded.header("webhook-signature"))
                        .isEqualTo("v1," + standardSignature(forwarded, secret));
                assertThat(forwarded.header("X-CloudNexus-Signature")).isEqualTo(hexSignature(forwarded, secret));
                long age = Math.abs(
                        System.currentTimeMillis() / 1000 - Long.parseLong(forwarded.header("webhook-timestamp")));
                assertThat(age).isLessThan(300);
                // listen logs each event with the local answer's status
                Awaitility.await("listen's line for the event")
                        .atMost(WAIT)
                        .until(() -> Command.output(out)
                                .contains("--> server.created ["
                                        + envelope.path("id").asText() + "]  <-- [200]"));
            } finally {
                Command.stop(listen);
                Command.delete(out);
            }
            assertThat(listen.isAlive()).isFalse();
        }
    }

    private static boolean isCreatedOf(ReceivedRequest r, String serverId) {
        JsonNode envelope = CanonicalJson.parse(r.body());
        return "server.created".equals(envelope.path("event").asText())
                && serverId.equals(envelope.path("data").path("server_id").asText());
    }

    private static String standardSignature(ReceivedRequest r, String secret) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(
                (r.header("webhook-id") + "." + r.header("webhook-timestamp") + ".").getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac.doFinal(r.body()));
    }

    private static String hexSignature(ReceivedRequest r, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(r.body()));
    }
}
