package io.cloudnexus.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;

import org.junit.jupiter.api.Test;

import io.cloudnexus.gateway.proxy.RouteTable;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

/**
 * The gateway serves the OpenAPI document of the whole public API, and Swagger UI. The document covers every route
 * the gateway itself has: each prefix of the route table, the stream routes with their only method, the Vert.x
 * routes (console session) and the admin API's JAX-RS resources; and every /v2 path it documents is routed. (The
 * services' operations under each prefix are checked against their own documents in e2e-tests'
 * OpenApiCompletenessIT.)
 */
@QuarkusTest
@GatewayTest
class OpenApiTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch");

    @Inject
    RouteTable routes;

    @Inject
    Router router;

    @Test
    void everyGatewayRouteIsDocumentedAndEveryDocumentedPathIsRouted() throws Exception {
        Map<String, Map<String, Object>> paths = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("paths");
        Set<String> operations = new TreeSet<>();
        paths.forEach((path, item) -> item.keySet().stream()
                .filter(HTTP_METHODS::contains)
                .forEach(m -> operations.add(m.toUpperCase(Locale.ROOT) + " " + normalized(path))));
        List<String> missing = new ArrayList<>();

        for (String prefix : routes.publicPrefixes()) {
            if (paths.keySet().stream().noneMatch(p -> p.equals(prefix) || p.startsWith(prefix + "/"))) {
                missing.add("a route-table prefix without operations: " + prefix);
            }
        }
        for (String path : List.of(RouteTable.STREAM_PATH, RouteTable.TICKETS_PATH)) {
            String only = routes.resolve(path, null).onlyMethod();
            if (!paths.containsKey(path) || !paths.get(path).containsKey(only.toLowerCase(Locale.ROOT))) {
                missing.add(only + " " + path);
            }
        }
        Set<String> jaxRs = jaxRsOperations();
        Set<String> jaxRsPaths = new TreeSet<>();
        jaxRs.forEach(o -> jaxRsPaths.add(o.substring(o.indexOf(' ') + 1)));
        for (String path : paths.keySet()) {
            if (jaxRsPaths.contains(normalized(path))) {
                // the gateway's own JAX-RS resources under /v2 (API keys, OAuth): routed by RESTEasy, not the proxy
                for (String method : paths.get(path).keySet()) {
                    if (!HTTP_METHODS.contains(method)) {
                        continue;
                    }
                    assertThat(jaxRs)
                            .as("documented but not routed: " + method + " " + path)
                            .contains(method.toUpperCase(Locale.ROOT) + " " + normalized(path));
                }
            } else if (path.startsWith("/v2/")) {
                RouteTable.Target target = routes.resolve(path.replaceAll("\\{[^}]*}", "x1"), null);
                assertThat(target).as("documented but not routed: " + path).isNotNull();
                if (target.onlyMethod() != null) {
                    assertThat(paths.get(path).keySet())
                            .as(path + " serves only " + target.onlyMethod())
                            .containsOnly(target.onlyMethod().toLowerCase(Locale.ROOT));
                }
            }
        }
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            // "/": where Quarkus mounts JAX-RS (its resources are checked below); /q/*: Quarkus' own endpoints;
            // /v2/*: the proxy (the route table, above); /console: the console's files (redirect to /console/)
            if (path != null
                    && !path.equals("/")
                    && !path.startsWith("/q/")
                    && !path.startsWith("/v2/")
                    && !path.equals("/console")) {
                if (!paths.containsKey(path)) {
                    missing.add("the Vert.x route " + path);
                }
            }
        }
        for (String operation : jaxRs) {
            if (!operations.contains(operation)) {
                missing.add("the JAX-RS operation " + operation);
            }
        }
        assertThat(missing)
                .as("routes of the gateway without an operation in /q/openapi")
                .isEmpty();
    }

    /** "METHOD /path" of every resource method of the gateway's own JAX-RS resources (its compiled classes). */
    private static Set<String> jaxRsOperations() throws IOException, ClassNotFoundException {
        Path classes = Path.of("target/classes");
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .toList();
        }
        Set<String> result = new TreeSet<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, OpenApiTest.class.getClassLoader());
            jakarta.ws.rs.Path base = type.getAnnotation(jakarta.ws.rs.Path.class);
            if (base == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                for (Annotation annotation : method.getAnnotations()) {
                    HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
                    if (http != null) {
                        jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                        String path = ("/" + base.value() + "/" + (sub == null ? "" : sub.value()))
                                .replaceAll("/+", "/")
                                .replaceAll("(.)/$", "$1");
                        result.add(http.value() + " " + normalized(path));
                    }
                }
            }
        }
        assertThat(result).as("the gateway's JAX-RS operations").isNotEmpty();
        return result;
    }

    /** Path parameters written {} (their names differ between documents and resources). */
    private static String normalized(String path) {
        return path.replaceAll("\\{[^}]*}", "{}");
    }

    @Test
    void documentsEveryPublicRouteWithAuthHeadersStatusesAndTheDocsExample() {
        JsonPath doc = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Object> paths = doc.getMap("paths");
        assertThat(paths)
                .containsKeys(
                        "/v2/servers",
                        "/v2/servers/{id}",
                        "/v2/regions",
                        "/v2/plans",
                        "/v2/images",
                        "/v2/clusters/k8s",
                        "/v2/billing/invoices",
                        "/v2/webhooks",
                        "/v2/events/types",
                        "/v2/events",
                        "/v2/events/{id}",
                        "/v2/webhooks/{id}/recover",
                        "/v2/webhooks/{id}/disable",
                        "/v2/webhooks/{id}/stats",
                        "/admin/accounts");
        assertThat(doc.getMap("components.securitySchemes")).containsKeys("apiKey", "oauth2");
        List<Map<String, Object>> parameters = doc.getList("paths.'/v2/servers'.post.parameters");
        assertThat(parameters).isNotEmpty();
        assertThat(doc.getMap("paths.'/v2/servers'.post.responses"))
                .containsKeys(
                        "201", "400", "401", "403", "408", "409", "413", "415", "422", "429", "500", "502", "503",
                        "504");
        assertThat(doc.getString("openapi")).isEqualTo("3.1.0");
        assertThat(doc.getMap("components.responses.RateLimited.headers"))
                .containsKeys("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset");
        assertThat(doc.getMap("paths.'/v2/servers'.post.responses.'201'.content.'application/json'.schema"))
                .containsEntry("$ref", "#/components/schemas/CreatedServers");
        assertThat(doc.getList("paths.'/v2/webhooks/{id}/pause'.post.parameters")
                        .toString())
                .contains("#/components/parameters/IdempotencyKey");
        assertThat(doc.getMap("paths.'/admin/accounts'.post.responses")).containsKeys("201", "401");
        assertThat(doc.getMap("paths.'/v2/servers'.post.requestBody.content.'application/json'.example"))
                .containsEntry("region", "us-east-1")
                .containsEntry("plan", "professional")
                .containsEntry("image", "ubuntu-22.04")
                .containsEntry("count", 2);
        assertThat(doc.getMap("components.parameters.AccountId"))
                .containsEntry("name", "X-CloudNexus-Id")
                .containsEntry("required", true);
    }

    @Test
    void documentsTheEventStreamAndItsTickets() {
        JsonPath doc = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(doc.getMap("paths.'/v2/events/stream'.get.responses"))
                .containsKeys("101", "200", "401", "403", "429", "503");
        assertThat(doc.getMap("paths.'/v2/events/stream'.get.responses.'200'.content"))
                .containsKey("text/event-stream");
        List<Map<String, Object>> parameters = doc.getList("paths.'/v2/events/stream'.get.parameters");
        assertThat(parameters).extracting(p -> p.get("name")).contains("types", "since", "ticket", "Last-Event-ID");
        assertThat(doc.getString("paths.'/v2/events/stream'.get.description"))
                .contains("WebSocket", "Server-Sent Events", "4003", "ticket");
        assertThat(doc.getMap("paths.'/v2/events/stream/tickets'.post.responses"))
                .containsKeys("201", "401", "403", "429");
        assertThat(doc.getMap("components.schemas.StreamTicket.properties"))
                .containsKeys("ticket", "expires_at", "url");
        assertThat(doc.getMap("components.securitySchemes")).containsKey("streamTicket");
    }

    @Test
    void documentsTheEndpointDeliveryStats() {
        JsonPath doc = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, Object>> parameters = doc.getList("paths.'/v2/webhooks/{id}/stats'.get.parameters");
        assertThat(parameters).extracting(p -> p.get("name")).contains("window");
        assertThat(doc.getMap("paths.'/v2/webhooks/{id}/stats'.get.responses"))
                .containsKeys("200", "400", "401", "403", "404", "429");
        assertThat(doc.getMap("components.schemas.EndpointStats.properties"))
                .containsKeys("endpoint_id", "window", "bucket_seconds", "buckets", "totals", "backlog");
        assertThat(doc.getMap("components.schemas.EndpointStats.properties.backlog.properties"))
                .containsKeys("pending", "retrying", "dead");
        assertThat(doc.getMap("components.schemas.EndpointStats.properties.totals.properties"))
                .containsKeys("attempts", "delivered", "failed", "success_rate", "p50_ms", "p95_ms");
    }

    @Test
    void documentsTheConsoleSession() {
        JsonPath doc = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(doc.getMap("paths.'/console/session'")).containsKeys("post", "get", "delete");
        assertThat(doc.getMap("paths.'/console/session'.post.responses"))
                .containsKeys("200", "400", "401", "403", "413", "415", "429");
        assertThat(doc.getMap("paths.'/console/session'.delete.responses")).containsKeys("204", "401", "403");
        assertThat(doc.getMap("components.schemas.ConsoleSession.properties"))
                .containsKeys("account_id", "key_prefix", "scopes", "tier", "csrf_token", "expires_at");
        assertThat(doc.getMap("components.securitySchemes.consoleSession"))
                .containsEntry("in", "cookie")
                .containsEntry("name", "cn_console");
        assertThat(doc.getMap("components.securitySchemes.csrfToken")).containsEntry("name", "X-CSRF-Token");
        assertThat(doc.getList("paths.'/v2/events/stream'.get.security").toString())
                .doesNotContain("consoleSession");
    }

    /**
     * JSON:API (docs/api-gateway.md, "JSON:API at the edge"): every /v2 operation whose answers the gateway translates
     * declares application/vnd.api+json next to each application/json answer and request body, JSON:API errors next
     * to each problem, and 406; the routes that are not translated (the stream, the tickets' answer, the OAuth
     * token/revoke/JWKS/metadata endpoints, the console session, the admin API) declare none of it.
     */
    @Test
    void everyTranslatedOperationDeclaresJsonApiAndNoOtherDoes() {
        JsonPath doc = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        Map<String, Map<String, Object>> shared = doc.getMap("components.responses");
        Set<String> notTranslated = Set.of(
                RouteTable.STREAM_PATH,
                RouteTable.TICKETS_PATH,
                "/v2/oauth/token",
                "/v2/oauth/revoke",
                "/v2/oauth/jwks");
        List<String> wrong = new ArrayList<>();
        int translatedOperations = 0;
        for (var path : paths.entrySet()) {
            boolean translated = path.getKey().startsWith("/v2/") && !notTranslated.contains(path.getKey());
            // the tickets' refusals follow Accept like any /v2 refusal; the ticket itself is JSON
            boolean errorsTranslated = translated || path.getKey().equals(RouteTable.TICKETS_PATH);
            for (var operation : path.getValue().entrySet()) {
                if (!HTTP_METHODS.contains(operation.getKey())) {
                    continue;
                }
                String name = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                translatedOperations += translated ? 1 : 0;
                Map<String, Map<String, Object>> responses =
                        map(operation.getValue().get("responses"));
                if (errorsTranslated && !responses.containsKey("406")) {
                    wrong.add(name + " lacks the JSON:API 406");
                }
                for (var response : responses.entrySet()) {
                    Map<String, Object> resolved = response.getValue().containsKey("$ref")
                            ? shared.get(last(response.getValue().get("$ref")))
                            : response.getValue();
                    Map<String, Object> content = map(resolved.get("content"));
                    boolean jsonApi = content.containsKey("application/vnd.api+json");
                    if (content.containsKey("application/json") && jsonApi != translated) {
                        wrong.add(name + " " + response.getKey() + (translated ? " lacks" : " has")
                                + " a JSON:API document");
                    }
                    if (content.containsKey("application/problem+json")
                            && !response.getKey().equals("406")
                            && jsonApi != errorsTranslated) {
                        wrong.add(name + " " + response.getKey() + (errorsTranslated ? " lacks" : " has")
                                + " JSON:API errors");
                    }
                    if (jsonApi) {
                        String schema = String.valueOf(
                                map(content.get("application/vnd.api+json")).get("schema"));
                        if (!schema.contains(
                                content.containsKey("application/json") ? "JsonApiDocument" : "JsonApiErrors")) {
                            wrong.add(name + " " + response.getKey() + " has the JSON:API schema " + schema);
                        }
                    }
                }
                Map<String, Object> body =
                        map(map(operation.getValue().get("requestBody")).get("content"));
                if (body.containsKey("application/json")
                        && body.containsKey("application/vnd.api+json") != translated) {
                    wrong.add(name + (translated ? " lacks" : " has") + " a JSON:API request body");
                }
            }
        }
        assertThat(translatedOperations).as("translated operations").isGreaterThan(60);
        assertThat(wrong).as("operations whose JSON:API documentation is wrong").isEmpty();

        assertThat(doc.getString(
                        "paths.'/v2/servers'.post.requestBody.content.'application/vnd.api+json'.schema.allOf[0].$ref"))
                .isEqualTo("#/components/schemas/JsonApiRequest");
        assertThat(
                        doc.getString(
                                "paths.'/v2/servers'.post.requestBody.content.'application/vnd.api+json'.schema.allOf[1].properties.data.properties.attributes.$ref"))
                .isEqualTo("#/components/schemas/ServerCreate");
        assertThat(doc.getMap("components.schemas.JsonApiDocument.properties"))
                .containsKeys("jsonapi", "data", "links", "meta");
        assertThat(doc.getMap("components.schemas.JsonApiResource.properties"))
                .containsKeys("type", "id", "attributes", "links");
        assertThat(doc.getMap("components.schemas.JsonApiDocument.properties.links.properties"))
                .containsKey("next");
        assertThat(doc.getMap("components.schemas.JsonApiErrors.properties.errors.items.properties"))
                .containsKeys("status", "code", "title", "detail", "source", "meta");
        assertThat(doc.getMap("components.schemas.JsonApiErrors.properties.errors.items.properties.meta.properties"))
                .containsKey("request_id");
    }

    @Test
    void documentsOAuthAndSelfServiceApiKeys() {
        JsonPath doc = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(doc.getMap("components.securitySchemes.oauth2ClientCredentials"))
                .containsEntry("type", "oauth2");
        assertThat(doc.getMap("components.securitySchemes.oauth2ClientCredentials.flows.clientCredentials"))
                .containsEntry("tokenUrl", "/v2/oauth/token");
        assertThat(doc.getMap("components.securitySchemes.oauth2ClientCredentials.flows.clientCredentials.scopes"))
                .containsOnlyKeys("read", "write", "admin");
        assertThat(doc.getList("security").toString()).contains("apiKey", "oauth2ClientCredentials");
        assertThat(doc.getList("paths.'/v2/events/stream'.get.security").toString())
                .contains("oauth2ClientCredentials");
        for (String path : List.of("/v2/api-keys", "/v2/oauth/clients")) {
            assertThat(doc.getMap("paths.'" + path + "'")).containsKeys("get", "post");
            assertThat(doc.getMap("paths.'" + path + "'.post.responses"))
                    .containsKeys("201", "400", "401", "403", "415", "429");
            // not honoured by these resources, so not offered
            assertThat(String.valueOf(doc.getList("paths.'" + path + "'.post.parameters")))
                    .doesNotContain("IdempotencyKey");
            assertThat(doc.getString("paths.'" + path + "'.get.responses.'200'.content.'application/json'.schema.$ref"))
                    .endsWith("Page");
        }
        assertThat(doc.getString("components.schemas.ApiKeyPage.allOf[0].$ref")).isEqualTo("#/components/schemas/Page");
        assertThat(doc.getMap("paths.'/v2/api-keys/{keyId}'.delete.responses")).containsKeys("204", "404");
        assertThat(doc.getMap("paths.'/v2/oauth/clients/{clientId}'.delete.responses"))
                .containsKeys("204", "404");
        for (String path : List.of("/v2/oauth/token", "/v2/oauth/revoke")) {
            assertThat(doc.getMap("paths.'" + path + "'.post.requestBody.content"))
                    .containsOnlyKeys("application/x-www-form-urlencoded");
            for (String status : List.of("400", "401", "429")) {
                String ref = doc.getString("paths.'" + path + "'.post.responses.'" + status + "'.$ref");
                assertThat(doc.getMap("components.responses." + last(ref) + ".content"))
                        .as("%s %s: RFC 6749 §5.2, not problem details", path, status)
                        .containsOnlyKeys("application/json");
            }
        }
        assertThat(doc.getString("components.responses.OAuthBadRequest.content.'application/json'.schema.$ref"))
                .isEqualTo("#/components/schemas/OAuthError");
        assertThat(doc.getMap("paths.'/v2/oauth/jwks'.get.responses.'200'.content"))
                .containsOnlyKeys("application/jwk-set+json");
        assertThat(doc.getMap("paths.'/.well-known/oauth-authorization-server'.get.responses.'200'.content"))
                .containsOnlyKeys("application/json");
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> map(Object value) {
        return value == null ? Map.of() : (Map<String, V>) value;
    }

    private static String last(Object ref) {
        String text = String.valueOf(ref);
        return text.substring(text.lastIndexOf('/') + 1);
    }

    @Test
    void servesSwaggerUi() {
        assertThat(given().get("/q/swagger-ui/")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("swagger");
    }
}
