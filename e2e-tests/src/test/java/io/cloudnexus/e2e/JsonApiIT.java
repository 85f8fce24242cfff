package io.cloudnexus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudnexus.e2e.TestAccounts.Account;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * JSON:API at the gateway's edge, read and written by JSON:API client libraries no one here wrote: {@code kitsu-core}
 * (deserialise, serialise) and {@code jsona} (deserialize), npm versions pinned in
 * {@code src/test/resources/jsonapi/package.json}, installed into {@code target/jsonapi-client} and run by Node.js
 * with global fetch against the real platform. The script (src/test/resources/jsonapi/jsonapi-client.mjs) checks
 * what it can alone and prints what it deserialised; this test compares that with what plain JSON answers for the
 * same resources: five servers paged two by two through {@code links.next}, one server, a webhook endpoint, the
 * account's events, an endpoint's deliveries, a delivery's attempts, the event catalog; a server created with a
 * JSON:API body; error objects for an unknown region and another account's server; 415/406 for media type
 * parameters other than {@code profile}; plain JSON unchanged.
 */
class JsonApiIT {

    private static final Duration RUN = Duration.ofMinutes(3);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Platform platform;
    private static Account account;
    private static Account other;
    private static RecordingReceiver receiver;
    private static String webhookId;
    private static String otherServerId;
    /** The five servers made first, newest first (the listing's order). */
    private static final List<String> servers = new ArrayList<>();
    /** What the script deserialised (its last line). */
    private static JsonNode report;

    @BeforeAll
    static void run() throws Exception {
        platform = Platform.get();
        Path client = installClient();
        account = TestAccounts.create(platform, "JSON:API", "professional", null);
        other = TestAccounts.create(platform, "JSON:API other", "professional", null);
        receiver = RecordingReceiver.start();

        webhookId = plain(account)
                .contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/hook"), "events", List.of("server.*")))
                .post("/v2/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        for (int i = 1; i <= 5; i++) {
            servers.add(0, createServer(account, "jsonapi-" + i));
        }
        otherServerId = createServer(other, "jsonapi-other");

        // a settled account: every server active, every server.* event delivered, so both representations agree
        await("the five servers active")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    JsonNode list = get(account, "/v2/servers?limit=100");
                    return list.path("data").size() == 5
                            && allMatch(
                                    list.path("data"),
                                    s -> s.path("status").asText().equals("active"));
                });
        await("every server.* event delivered")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    int events = countServerEvents();
                    JsonNode deliveries = get(account, "/v2/webhooks/" + webhookId + "/deliveries?limit=100");
                    return events == 10
                            && deliveries.path("data").size() == events
                            && allMatch(
                                    deliveries.path("data"),
                                    d -> d.path("status").asText().equals("delivered"));
                });

        String output = Command.succeed(
                client,
                Map.of(
                        "CN_BASE_URL",
                        platform.gatewayUrl(),
                        "CN_API_KEY",
                        account.apiKey(),
                        "CN_WEBHOOK_ID",
                        webhookId,
                        "CN_OTHER_SERVER_ID",
                        otherServerId),
                RUN,
                "node",
                "jsonapi-client.mjs");
        String last = output.lines()
                .filter(l -> l.startsWith("JSONAPI "))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no JSONAPI line in:\n" + output));
        report = JSON.readTree(last.substring("JSONAPI ".length()));
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void theFirstPageDeserialisesToWhatPlainJsonAnswers() throws Exception {
        JsonNode plainFirst = get(
                account,
                "/v2/servers?limit=2&starting_after=" + report.at("/created/id").asText());
        assertThat(report.path("first_page")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertSameResource(
                    report.path("first_page").get(i), plainFirst.path("data").get(i), "servers");
        }
        assertThat(report.at("/first_page_links/next").asText())
                .isEqualTo("/v2/servers?limit=2&starting_after=" + servers.get(1));
    }

    @Test
    void followingNextLinksYieldsExactlyTheAccountsServers() {
        assertThat(texts(report.path("all_server_ids"))).containsExactlyElementsOf(servers);
        assertThat(report.path("server_pages").asInt()).isEqualTo(3);
    }

    @Test
    void oneServerAndAWebhookEndpointDeserialise() throws Exception {
        JsonNode server = report.path("server");
        assertSameResource(
                server, get(account, "/v2/servers/" + server.path("id").asText()), "servers");
        assertThat(server.at("/links/self").asText())
                .isEqualTo("/v2/servers/" + server.path("id").asText());

        JsonNode plainHook = get(account, "/v2/webhooks/" + webhookId);
        assertSameResource(report.path("webhook"), plainHook, "webhooks");
        JsonNode byJsona = report.path("webhook_by_jsona");
        assertThat(byJsona.path("id").asText()).isEqualTo(webhookId);
        assertThat(byJsona.path("type").asText()).isEqualTo("webhooks");
        assertThat(byJsona.path("url")).isEqualTo(plainHook.path("url"));
        assertThat(byJsona.path("events")).isEqualTo(plainHook.path("events"));
    }

    @Test
    void eventsDeliveriesAttemptsAndTheCatalogDeserialise() throws Exception {
        // the events listed then: every server.* event of the five servers (later ones are the created server's)
        String created = report.at("/created/id").asText();
        List<String> expectedEvents = new ArrayList<>();
        for (JsonNode e : get(account, "/v2/events?limit=100").path("data")) {
            if (!e.at("/data/server_id").asText().equals(created)) {
                expectedEvents.add(e.path("id").asText());
            }
        }
        assertThat(texts(report.path("event_ids"))).containsExactlyElementsOf(expectedEvents);
        assertThat(texts(report.path("event_names"))).contains("server.created", "server.provisioned");
        JsonNode event = report.path("event");
        JsonNode plainEvent = get(account, "/v2/events/" + event.path("id").asText());
        assertThat(event.path("type").asText()).isEqualTo("events");
        assertThat(event.path("event")).isEqualTo(plainEvent.path("event"));
        assertThat(event.path("data")).isEqualTo(plainEvent.path("data"));
        assertThat(event.path("timestamp")).isEqualTo(plainEvent.path("timestamp"));

        Set<String> listedEvents = new HashSet<>(expectedEvents);
        List<String> expectedDeliveries = new ArrayList<>();
        for (JsonNode d : get(account, "/v2/webhooks/" + webhookId + "/deliveries?limit=100")
                .path("data")) {
            if (listedEvents.contains(d.path("event_id").asText())) {
                expectedDeliveries.add(d.path("id").asText());
            }
        }
        assertThat(texts(report.path("delivery_ids"))).containsExactlyElementsOf(expectedDeliveries);

        String deliveryId = report.path("delivery_ids").get(0).asText();
        JsonNode plainAttempts = get(account, "/v2/webhooks/" + webhookId + "/deliveries/" + deliveryId + "/attempts");
        assertThat(report.path("attempts")).hasSize(plainAttempts.size()).isNotEmpty();
        for (int i = 0; i < plainAttempts.size(); i++) {
            JsonNode attempt = report.path("attempts").get(i);
            assertThat(attempt.path("type").asText()).isEqualTo("attempts");
            assertThat(attempt.path("id").asText())
                    .isEqualTo(plainAttempts.get(i).path("attempt").asText());
            assertThat(attempt.path("status_code"))
                    .isEqualTo(plainAttempts.get(i).path("status_code"));
            assertThat(attempt.path("attempted_at"))
                    .isEqualTo(plainAttempts.get(i).path("attempted_at"));
        }

        List<String> catalog = new ArrayList<>();
        for (JsonNode t : get(account, "/v2/events/types").path("data")) {
            catalog.add(t.path("type").asText());
        }
        assertThat(catalog).contains("server.created");
        assertThat(report.path("catalog").findValuesAsText("id")).containsExactlyElementsOf(catalog);
        assertThat(report.path("catalog").findValuesAsText("category")).doesNotContain("");
        assertThat(report.path("catalog").findValuesAsText("has_schema")).containsOnly("true");
    }

    @Test
    void aServerCreatedWithAJsonApiBodyExists() throws Exception {
        JsonNode created = report.path("created");
        assertThat(report.path("created_status").asInt()).isEqualTo(201);
        assertThat(created.path("type").asText()).isEqualTo("servers");
        String id = created.path("id").asText();
        assertThat(id).startsWith("srv_").isNotIn(servers);
        JsonNode plainServer = get(account, "/v2/servers/" + id);
        assertThat(plainServer.path("name").asText())
                .startsWith("jsonapi-")
                .isEqualTo(created.path("name").asText());
        assertThat(plainServer.path("region").asText()).isEqualTo("us-east-1");
        assertThat(plainServer.path("plan").asText()).isEqualTo("starter");
        assertThat(plain(other).get("/v2/servers/" + id).statusCode()).isEqualTo(404);
        assertThat(idsOf(get(account, "/v2/servers?limit=100"))).containsExactlyInAnyOrder(concat(servers, id));
    }

    @Test
    void errorObjectsParse() throws Exception {
        // the same refusal in plain JSON: problem details with the field
        Response plainRefusal = plain(account)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "nowhere", "region", "mars-1", "plan", "starter", "image", "ubuntu-22.04"))
                .post("/v2/servers");
        JsonNode problem = JSON.readTree(plainRefusal.asString());
        String type = problem.path("type").asText();

        JsonNode bad = report.path("bad_region");
        assertThat(bad.path("status").asInt())
                .isEqualTo(plainRefusal.statusCode())
                .isEqualTo(400);
        assertThat(bad.path("errors")).hasSize(1);
        JsonNode error = bad.path("errors").get(0);
        assertThat(error.path("status").asText()).isEqualTo("400");
        assertThat(error.path("code").asText()).isNotEmpty().isEqualTo(type.substring(type.lastIndexOf('/') + 1));
        assertThat(error.path("title").asText()).isEqualTo(problem.path("title").asText());
        assertThat(error.path("detail").asText())
                .isEqualTo(problem.at("/errors/0/message").asText());
        assertThat(error.at("/source/pointer").asText()).isEqualTo("/data/attributes/region");
        assertThat(error.at("/meta/request_id").asText()).startsWith("req_");
        assertThat(texts(error.at("/meta/valid_values"))).contains("us-east-1");

        JsonNode foreign = report.path("foreign");
        assertThat(foreign.path("status").asInt()).isEqualTo(404);
        assertThat(foreign.path("errors")).hasSize(1);
        assertThat(foreign.at("/errors/0/status").asText()).isEqualTo("404");
        assertThat(foreign.at("/errors/0/code").asText()).isNotEmpty();
        assertThat(foreign.at("/errors/0/detail").asText()).isNotEmpty();
        assertThat(foreign.at("/errors/0/meta/request_id").asText()).startsWith("req_");
    }

    @Test
    void mediaTypeParametersOtherThanProfileAreRefusedAndPlainJsonIsUnchanged() throws Exception {
        JsonNode media = report.path("media");
        assertThat(media.at("/content_type_ext/status").asInt()).isEqualTo(415);
        assertThat(media.at("/content_type_ext/body/errors/0/status").asText()).isEqualTo("415");
        assertThat(media.at("/content_type_charset/status").asInt()).isEqualTo(415);
        assertThat(media.at("/accept_ext/status").asInt()).isEqualTo(406);
        assertThat(media.at("/accept_ext/type").asText()).startsWith("application/problem+json");
        assertThat(media.at("/accept_profile/status").asInt()).isEqualTo(200);
        assertThat(media.at("/accept_profile/type").asText()).isEqualTo("application/vnd.api+json");
        assertThat(media.at("/accept_profile/version").asText()).isEqualTo("1.1");

        JsonNode plainPage = media.at("/plain/body");
        assertThat(media.at("/plain/status").asInt()).isEqualTo(200);
        assertThat(media.at("/plain/type").asText()).startsWith("application/json");
        assertThat(media.at("/plain/vary").asText()).containsIgnoringCase("Accept");
        assertThat(plainPage.has("jsonapi")).isFalse();
        assertThat(plainPage.path("has_more").asBoolean()).isTrue();
        assertThat(plainPage.path("data")).hasSize(2);
        assertThat(plainPage.at("/data/0/id").asText()).startsWith("srv_");
        assertThat(plainPage.at("/data/0").has("attributes")).isFalse();
        assertThat(plainPage.at("/data/0").has("name")).isTrue();
        assertThat(idsOf(plainPage)).isEqualTo(idsOf(get(account, "/v2/servers?limit=2")));
    }

    /** A resource deserialised by kitsu-core: type, id, and exactly the plain JSON's fields (links/meta aside). */
    private static void assertSameResource(JsonNode deserialised, JsonNode plainJson, String type) {
        assertThat(deserialised.path("type").asText()).isEqualTo(type);
        assertThat(deserialised.path("id")).isEqualTo(plainJson.path("id"));
        Set<String> fields = new HashSet<>();
        for (Iterator<String> names = deserialised.fieldNames(); names.hasNext(); ) {
            fields.add(names.next());
        }
        fields.removeAll(Set.of("type", "links", "meta"));
        Set<String> plainFields = new HashSet<>();
        for (Iterator<String> names = plainJson.fieldNames(); names.hasNext(); ) {
            plainFields.add(names.next());
        }
        assertThat(fields).isEqualTo(plainFields);
        for (String field : plainFields) {
            assertThat(deserialised.path(field)).as(field).isEqualTo(plainJson.path(field));
        }
    }

    private static String createServer(Account owner, String name) {
        return plain(owner)
                .contentType(ContentType.JSON)
                .body(Map.of("name", name, "region", "us-east-1", "plan", "starter", "image", "ubuntu-22.04"))
                .post("/v2/servers")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static int countServerEvents() throws Exception {
        int n = 0;
        for (JsonNode e : get(account, "/v2/events?limit=100").path("data")) {
            n += e.path("event").asText().startsWith("server.") ? 1 : 0;
        }
        return n;
    }

    private static io.restassured.specification.RequestSpecification plain(Account owner) {
        return SdkChecks.as(platform, owner);
    }

    /** A plain JSON GET as {@code owner}: 200 and its body. */
    private static JsonNode get(Account owner, String path) throws Exception {
        Response r = plain(owner).accept(ContentType.JSON).get(path);
        assertThat(r.statusCode()).as("GET " + path + ": " + r.asString()).isEqualTo(200);
        return JSON.readTree(r.asString());
    }

    private static boolean allMatch(JsonNode array, java.util.function.Predicate<JsonNode> check) {
        for (JsonNode item : array) {
            if (!check.test(item)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> idsOf(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("data").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String[] concat(List<String> list, String more) {
        List<String> all = new ArrayList<>(list);
        all.add(more);
        return all.toArray(String[]::new);
    }

    /** npm-installs the pinned libraries with the script into target/jsonapi-client (node and npm must be there). */
    private static Path installClient() throws Exception {
        Path dir = Path.of("target", "jsonapi-client").toAbsolutePath();
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "jsonapi-client.mjs")) {
            try (InputStream in = JsonApiIT.class.getResourceAsStream("/jsonapi/" + file)) {
                assertThat(in).as("resource /jsonapi/" + file).isNotNull();
                Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Command.succeed(dir, Map.of(), Duration.ofMinutes(3), "node", "--version");
        if (!Files.isDirectory(dir.resolve("node_modules/kitsu-core"))
                || !Files.isDirectory(dir.resolve("node_modules/jsona"))) {
            Command.succeed(dir, Map.of(), Duration.ofMinutes(3), "npm", "install", "--no-audit", "--no-fund");
        }
        return dir;
    }
}
