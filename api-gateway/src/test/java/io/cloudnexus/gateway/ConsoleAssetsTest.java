package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The console app at {@code /console/} from the class path (the test fixture under
 * {@code src/test/resources/META-INF/resources/console/} stands in for the console jar): the index, app
 * routes, hashed assets, the security and cache headers, 404s, and path traversal refused.
 */
@QuarkusTest
@GatewayTest
class ConsoleAssetsTest {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Test
    void theIndexIsServedAtConsoleSlashNeverCachedWithTheSecurityHeaders() {
        Response index = given().get("/console/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(index.asString()).contains("console-fixture-index");
        assertThat(index.header("Cache-Control")).isEqualTo("no-store");
        assertSecurityHeaders(index);

        Response head = given().head("/console/");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.asString()).isEmpty();

        Response redirect = given().redirects().follow(false).get("/console");
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.header("Location")).isEqualTo("/console/");
        assertSecurityHeaders(redirect);
    }

    @Test
    void anAppRouteWithoutAFileExtensionIsTheIndex() {
        for (String route : List.of("/console/endpoints", "/console/endpoints/ep_123/deliveries", "/console/x?y=1")) {
            Response page = given().urlEncodingEnabled(false).get(route);
            assertThat(page.statusCode()).as(route).isEqualTo(200);
            assertThat(page.asString()).contains("console-fixture-index");
            assertThat(page.header("Cache-Control")).isEqualTo("no-store");
            assertSecurityHeaders(page);
        }
        assertThat(given().get("/q/metrics").asString())
                .as("app routes are one uri tag")
                .doesNotContain("ep_123")
                .doesNotContain("uri=\"/console/endpoints");
    }

    @Test
    void hashedAssetsAreCachedForAYearWithTheirContentTypes() {
        Response script = given().get("/console/assets/app-TEST.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(script.asString()).contains("console-fixture-script");
        assertThat(script.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertSecurityHeaders(script);

        Response style = given().get("/console/assets/app-TEST.css");
        assertThat(style.statusCode()).isEqualTo(200);
        assertThat(style.contentType()).isEqualTo("text/css; charset=utf-8");

        Response robots = given().get("/console/robots.txt");
        assertThat(robots.statusCode()).isEqualTo(200);
        assertThat(robots.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(robots.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void aMissingFileIs404WithTheSecurityHeaders() {
        for (String path : List.of("/console/assets/app-MISSING.js", "/console/missing.png", "/console/assets/")) {
            Response missing = given().get(path);
            assertThat(missing.statusCode()).as(path).isEqualTo(404);
            assertThat(missing.contentType()).startsWith("application/problem+json");
            assertThat(missing.header("Cache-Control")).isEqualTo("no-store");
            assertSecurityHeaders(missing);
        }
        Response post = given().post("/console/");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void pathTraversalIsRefused() throws Exception {
        for (String path : List.of(
                "/console/assets/../../application.properties",
                "/console/../application.properties",
                "/console/assets/..%2f..%2fapplication.properties",
                "/console/%2e%2e/%2e%2e/application.properties",
                "/console/assets/%2e%2e/index.html",
                "/console/assets/../index.html",
                "/console/assets%2fapp-TEST.js",
                "/console/assets/..%5c..%5capplication.properties",
                "/console/..\\..\\application.properties",
                "/console//etc/passwd",
                "/console/.hidden.js",
                "/console/assets/app-TEST.js%00.html",
                "/console/../../io/cloudnexus/gateway/console/ConsoleAssets.class",
                "/console/%2e%2e/%2e%2e/io/cloudnexus/gateway/console/ConsoleAssets.class")) {
            String raw = ConsoleSessionTest.raw("GET", path, "localhost", Map.of(), null);
            int status = Integer.parseInt(raw.substring(9, 12));
            assertThat(status).as(path).isIn(400, 404);
            assertThat(raw).as(path).doesNotContain("quarkus.").doesNotContain("console-fixture-script");
        }
    }

    static void assertSecurityHeaders(Response response) {
        assertThat(response.header("Content-Security-Policy")).isEqualTo(CSP);
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
    }
}
