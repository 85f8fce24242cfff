package io.cloudnexus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.e2e.TestAccounts.Account;

/**
 * The {@code cloudnexus} package as a customer installs it ({@code pip install} into a fresh venv, no package
 * index), run with the venv's {@code python3} from a directory outside the source tree, against the platform the
 * e2e tests share: the public reference's snippet verbatim, and a scripted tour (src/test/resources/sdk/tour.py:
 * a signed delivery verified with the SDK's verify, deliveries, pages of servers, a real 429 waited out).
 *
 * <p>The reference's Python snippet has its key in the code, {@code api_key="cn_live_sk_abc123"}, and is run
 * unchanged: the snippet's account holds that very key ({@link TestAccounts#addKnownKey}, stored hashed like every
 * key), so the gateway authenticates the literal key the SDK sends. Only {@code CLOUDNEXUS_BASE_URL} is set.
 */
class PythonSdkIT {

    /** The key written in the public reference's Python snippet. */
    private static final String REFERENCE_KEY = "cn_live_sk_abc123";

    private static final Duration RUN = Duration.ofMinutes(5);

    @TempDir
    static Path work;

    private static Platform platform;
    private static Path python;
    private static Path app;
    private static Account limited;
    private static Account other;

    @BeforeAll
    static void install() throws Exception {
        platform = Platform.get();
        // the tour's 429 comes from this account; its rate-limit window (60 s) starts now, so the tour waits less
        limited = TestAccounts.create(platform, "Python SDK limited", "starter", 5);
        assertThat(SdkChecks.as(platform, limited).get("/v2/regions").statusCode())
                .isEqualTo(200);
        other = TestAccounts.create(platform, "Python SDK other", "professional", null);
        python = SdkPackages.installPython(work);
        app = Files.createDirectories(work.resolve("py-app"));
    }

    private static Map<String, String> baseUrl() {
        return Map.of("CLOUDNEXUS_BASE_URL", platform.gatewayUrl() + "/v2", "PYTHONDONTWRITEBYTECODE", "1");
    }

    @Test
    void theReferenceSnippetDeploysAServerFromTheInstalledPackage() throws Exception {
        Account account = TestAccounts.create(platform, "Python SDK snippet", "professional", null);
        TestAccounts.addKnownKey(platform, account, REFERENCE_KEY);
        Path snippet = SdkPackages.copyExample("reference_snippet.py", app);
        assertThat(Files.readString(snippet)).contains("api_key=\"" + REFERENCE_KEY + "\"");

        String output = Command.succeed(app, baseUrl(), RUN, python.toString(), "reference_snippet.py");

        SdkChecks.snippetDeployed(platform, output, account, other);
    }

    @Test
    void theTourCreatesAnEndpointVerifiesADeliveryPagesAndWaitsOutA429() throws Exception {
        Account tour = TestAccounts.create(platform, "Python SDK tour", "enterprise", 100_000);
        SdkPackages.copyScript("tour.py", app);
        Map<String, String> env = new java.util.HashMap<>(baseUrl());
        env.put("CN_API_KEY", tour.apiKey());
        env.put("CN_LIMITED_API_KEY", limited.apiKey());

        JsonNode report = SdkChecks.tourReport(Command.run(app, env, RUN, python.toString(), "tour.py"));

        SdkChecks.tourMatchesPlatform(platform, report, work.resolve("venv"), tour, other);
        assertThat(Path.of(report.path("sdk").asText()).resolveSibling("py.typed"))
                .exists(); // typed
    }
}
