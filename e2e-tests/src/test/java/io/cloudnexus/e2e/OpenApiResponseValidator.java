package io.cloudnexus.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Checks every response a test gets through RestAssured from a platform's gateway against the OpenAPI document that
 * gateway serves ({@code /q/openapi}): the request must match a documented operation (method and path template),
 * the status must be one of its documented responses, the content type one of that response's media types, and a
 * JSON body must validate against its schema (networknt json-schema-validator, OpenAPI 3.1 dialect, the document's
 * {@code components} resolved in place, formats asserted; any {@code ...json} media type, so JSON:API answers
 * ({@code application/vnd.api+json}) against the document's JSON:API schemas). Anything else fails the test with the
 * reasons. Not
 * checked: the gateway's Quarkus endpoints ({@code /q/...}) and the console's static files ({@code /console/...}
 * other than {@code /console/session}), which are not API operations.
 *
 * <p>Installed once as a global RestAssured filter by {@link #watch(String)}, which every {@link LocalPlatform}
 * calls with its gateway's URL; requests to other hosts (a service directly) pass unchecked.
 */
final class OpenApiResponseValidator implements Filter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOC_IRI = "https://cloudnexus.test/openapi.json";
    /** Where the document's response schemas are copied to, so that each has a plain JSON pointer. */
    private static final String SCHEMAS = "x-cn-response-schemas";

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Map<String, Document> gateways = new ConcurrentHashMap<>();
    private static boolean installed;

    /** Validates every response from the gateway at {@code gatewayUrl} ({@code http://127.0.0.1:<port>}) from now on. */
    static synchronized void watch(String gatewayUrl) {
        gateways.put(origin(URI.create(gatewayUrl)), new Document(gatewayUrl));
        if (!installed) {
            RestAssured.filters(new OpenApiResponseValidator());
            installed = true;
        }
    }

    @Override
    public Response filter(
            FilterableRequestSpecification request, FilterableResponseSpecification spec, FilterContext context) {
        Response response = context.next(request, spec);
        URI uri = URI.create(request.getURI());
        Document document = gateways.get(origin(uri));
        String path = uri.getRawPath();
        if (document == null || !validated(path)) {
            return response;
        }
        List<String> problems = document.check(request.getMethod(), path, response);
        if (!problems.isEmpty()) {
            String body = response.asString();
            throw new AssertionError(
                    "The response to " + request.getMethod() + " " + path + " (" + response.statusCode()
                            + ", " + response.contentType() + ") does not match the OpenAPI document:\n  "
                            + String.join("\n  ", problems) + "\nbody: "
                            + (body.length() > 2000 ? body.substring(0, 2000) + "..." : body));
        }
        return response;
    }

    private static boolean validated(String path) {
        if (path.startsWith("/q/") || path.equals("/q")) {
            return false;
        }
        return !(path.equals("/console") || path.startsWith("/console/")) || path.equals("/console/session");
    }

    private static String origin(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    /** One gateway's document (fetched on first use), its operations and their compiled response schemas. */
    static final class Document {

        private final String gatewayUrl;
        private JsonNode doc;
        private List<Operation> operations;
        private JsonSchemaFactory factory;
        private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

        Document(String gatewayUrl) {
            this.gatewayUrl = gatewayUrl;
        }

        /** A document given as it is (tests of the validator itself); {@code load} indexes it. */
        Document(JsonNode doc) {
            this.gatewayUrl = null;
            this.fetched = doc;
        }

        private JsonNode fetched;

        /** What is wrong with {@code response} to {@code method path}; empty when it matches the document. */
        synchronized List<String> check(String method, String path, Response response) {
            load();
            Operation operation = operation(method.toLowerCase(Locale.ROOT), path);
            if (operation == null) {
                return List.of("no operation " + method + " " + path + " in the document");
            }
            String status = Integer.toString(response.statusCode());
            JsonNode responses = operation.node().path("responses");
            JsonNode documented = responses.has(status)
                    ? responses.get(status)
                    : responses.has(status.charAt(0) + "XX")
                            ? responses.get(status.charAt(0) + "XX")
                            : responses.get("default");
            String where = operation.method() + " " + operation.template() + " " + status;
            if (documented == null) {
                return List.of("status " + status + " is not documented for " + operation.method() + " "
                        + operation.template() + " (documented: " + names(responses) + ")");
            }
            documented = resolve(documented);
            byte[] body = response.asByteArray();
            JsonNode content = documented.path("content");
            if (content.isMissingNode() || content.isEmpty()) {
                return body.length == 0
                        ? List.of()
                        : List.of(where + " is documented without a body, but one came (" + body.length + " bytes)");
            }
            String contentType = response.contentType() == null
                    ? ""
                    : response.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (!content.has(contentType)) {
                return List.of(where + ": content type '" + contentType + "' is not documented (documented: "
                        + names(content) + ")");
            }
            if (!contentType.endsWith("json")) {
                return List.of();
            }
            JsonNode instance;
            try {
                instance = JSON.readTree(body);
            } catch (IOException e) {
                return List.of(where + ": the body is not JSON: " + e.getMessage());
            }
            if (instance == null || instance.isMissingNode()) {
                return List.of(where + ": no body, but " + contentType + " is documented");
            }
            String pointer = content.get(contentType).path("x-cn-schema").asText(null);
            if (pointer == null) {
                return List.of();
            }
            Set<ValidationMessage> errors =
                    compiled.computeIfAbsent(pointer, this::compile).validate(instance);
            return errors.stream()
                    .map(e -> where + ": " + e.getMessage())
                    .sorted()
                    .collect(Collectors.toList());
        }

        private JsonSchema compile(String pointer) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .formatAssertionsEnabled(true)
                    .build();
            return factory.getSchema(SchemaLocation.of(DOC_IRI + "#" + pointer), config);
        }

        /** The operation whose template matches, preferring the most literal segments (/events/types over /events/{id}). */
        private Operation operation(String method, String path) {
            Operation best = null;
            for (Operation o : operations) {
                if (o.method().equals(method)
                        && o.pattern().matcher(path).matches()
                        && (best == null || o.literals() > best.literals())) {
                    best = o;
                }
            }
            return best;
        }

        private JsonNode resolve(JsonNode node) {
            while (node.has("$ref")) {
                String ref = node.get("$ref").asText();
                node = doc.at(ref.substring(ref.indexOf('#') + 1));
            }
            return node;
        }

        private JsonNode fetch() {
            try {
                HttpResponse<String> answer = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(gatewayUrl + "/q/openapi?format=json"))
                                        .timeout(Duration.ofSeconds(30))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (answer.statusCode() != 200) {
                    throw new AssertionError("GET /q/openapi answered " + answer.statusCode());
                }
                return JSON.readTree(answer.body());
            } catch (IOException e) {
                throw new AssertionError("cannot read the gateway's OpenAPI document", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        private void load() {
            if (doc != null) {
                return;
            }
            if (fetched != null) {
                doc = fetched;
            } else {
                doc = fetch();
            }
            // every media type's schema is copied to x-cn-response-schemas/<n> (a pointer without escapes); the
            // copies' $refs (#/components/...) resolve in the same document
            ArrayNode schemas = ((ObjectNode) doc).putArray(SCHEMAS);
            List<JsonNode> responseObjects = new ArrayList<>();
            doc.path("components").path("responses").forEach(responseObjects::add);
            operations = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    if (METHODS.contains(op.getKey())) {
                        operations.add(Operation.of(op.getKey(), path.getKey(), op.getValue()));
                        op.getValue().path("responses").forEach(responseObjects::add);
                    }
                }
            }
            for (JsonNode response : responseObjects) {
                for (JsonNode media : response.path("content")) {
                    if (media.has("schema")) {
                        ((ObjectNode) media).put("x-cn-schema", "/" + SCHEMAS + "/" + schemas.size());
                        schemas.add(media.get("schema"));
                    }
                }
            }
            String text = doc.toString();
            factory = JsonSchemaFactory.getInstance(
                    SpecVersion.VersionFlag.V202012,
                    builder -> builder.metaSchema(OpenApi31.getInstance())
                            .defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                            .schemaLoaders(loaders -> loaders.schemas(Map.of(DOC_IRI, text))));
        }

        private static String names(JsonNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            return String.join(", ", names);
        }
    }

    /** A documented operation: its method, path template and the template as a pattern. */
    record Operation(String method, String template, Pattern pattern, int literals, JsonNode node) {

        static Operation of(String method, String template, JsonNode node) {
            StringBuilder regex = new StringBuilder();
            int literals = 0;
            for (String segment : template.substring(1).split("/", -1)) {
                regex.append('/');
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    regex.append("[^/]+");
                } else {
                    regex.append(Pattern.quote(segment));
                    literals++;
                }
            }
            return new Operation(method, template, Pattern.compile(regex.toString()), literals, node);
        }
    }
}
