package io.cloudnexus.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.StreamClient;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The events API, recovery and the live stream through the gateway, on the platform as a newcomer runs it, with
 * real clients: the JDK's WebSocket and an SSE reader get {@code server.created} then {@code server.provisioned}
 * with the bytes the webhook receiver gets; a browser's ticket works once; {@code since} resumes with exactly the
 * missed events; another account sees nothing; a disabled endpoint gets what it missed through recover.
 */
class EventStreamIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Platform platform;

    @BeforeAll
    static void start() {
        platform = Platform.get();
    }

    private static RequestSpecification api(String key) {
        return given().baseUri(platform.gatewayUrl())
                .header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON);
    }

    private static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    private static URI stream(String query) {
        return URI.create(platform.gatewayUrl() + "/v2/events/stream" + (query.isEmpty() ? "" : "?" + query));
    }

    private static String createServer(String key) {
        return api(key).body(Map.of("region", "us-east-1", "plan", "starter", "image", "ubuntu-22.04"))
                .post("/v2/servers")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static String createEndpoint(String key, String url, List<String> events) {
        return api(key).body(Map.of("url", url, "events", events))
                .post("/v2/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** The envelopes (raw text) the receiver got for the server, by event type. */
    private static Map<String, String> bodiesFor(List<ReceivedRequest> requests, String serverId) {
        Map<String, String> bodies = new HashMap<>();
        for (ReceivedRequest r : requests) {
            JsonNode envelope = CanonicalJson.parse(r.body());
            if (serverId.equals(envelope.path("data").path("server_id").asText())) {
                bodies.put(envelope.path("event").asText(), r.bodyAsString());
            }
        }
        return bodies;
    }

    private static List<String> streamed(StreamClient client, String serverId) {
        List<String> out = new ArrayList<>();
        for (String envelope : client.envelopes()) {
            JsonNode node = CanonicalJson.parse(envelope);
            if (serverId.equals(node.path("data").path("server_id").asText())) {
                out.add(envelope);
            }
        }
        return out;
    }

    @Test
    void aWebSocketAndAnSseClientGetTheServersEventsWithTheWebhookBytes() {
        try (RecordingReceiver receiver = RecordingReceiver.start();
                StreamClient ws = StreamClient.webSocket(stream("types=server.*"), bearer(platform.apiKey));
                StreamClient sse = StreamClient.serverSentEvents(stream("types=server.*"), bearer(platform.apiKey))) {
            createEndpoint(platform.apiKey, receiver.url("/hook"), List.of("server.*"));
            String serverId = createServer(platform.apiKey);

            List<ReceivedRequest> received =
                    receiver.await(list -> bodiesFor(list, serverId).size() == 2, WAIT, "both webhooks of " + serverId);
            Map<String, String> bodies = bodiesFor(received, serverId);
            for (StreamClient client : List.of(ws, sse)) {
                client.await(c -> streamed(c, serverId).size() >= 2, WAIT, "both frames of " + serverId);
                List<String> frames = streamed(client, serverId);
                assertThat(frames).hasSize(2);
                assertThat(frames.get(0)).isEqualTo(bodies.get("server.created"));
                assertThat(frames.get(1)).isEqualTo(bodies.get("server.provisioned"));
            }
            ws.await(c -> !c.frames("delivery").isEmpty(), WAIT, "a delivery frame");
        }
    }

    @Test
    void aTicketOpensOneStreamWithoutAnApiKeyInTheUrl() {
        Response issued = api(platform.apiKey).post("/v2/events/stream/tickets");
        assertThat(issued.statusCode()).as(issued.asString()).isEqualTo(201);
        String ticket = issued.path("ticket");
        assertThat(ticket).startsWith("tkt_");
        try (StreamClient browser = StreamClient.webSocket(stream("ticket=" + ticket), Map.of())) {
            String serverId = createServer(platform.apiKey);
            browser.await(c -> streamed(c, serverId).size() >= 1, WAIT, "a frame of " + serverId);
        }
        assertThatThrownBy(() -> StreamClient.webSocket(stream("ticket=" + ticket), Map.of()))
                .isInstanceOfSatisfying(
                        StreamClient.Refused.class, r -> assertThat(r.status()).isEqualTo(401));
        assertThatThrownBy(() -> StreamClient.webSocket(stream("api_key=" + platform.apiKey), Map.of()))
                .isInstanceOfSatisfying(
                        StreamClient.Refused.class, r -> assertThat(r.status()).isEqualTo(401));
    }

    @Test
    void sinceResumesWithExactlyWhatWasMissedAndAnotherAccountSeesNothing() {
        String otherKey = newAccountKey("Stream Other Co");
        try (StreamClient other = StreamClient.webSocket(stream(""), bearer(otherKey))) {
            String first;
            try (StreamClient client =
                    StreamClient.webSocket(stream("types=server.created"), bearer(platform.apiKey))) {
                String serverId = createServer(platform.apiKey);
                client.await(c -> streamed(c, serverId).size() == 1, WAIT, "server.created of " + serverId);
                List<String> ids = client.eventIds();
                first = ids.get(ids.size() - 1);
            }
            List<String> missed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                missed.add(createServer(platform.apiKey));
            }
            // the events API lists what happened meanwhile, newest first
            awaitListed(missed);
            try (StreamClient resumed =
                    StreamClient.webSocket(stream("types=server.created&since=" + first), bearer(platform.apiKey))) {
                resumed.await(c -> c.eventIds().size() >= 3, WAIT, "the three missed server.created");
                List<String> servers = resumed.envelopes().stream()
                        .map(e -> CanonicalJson.parse(e)
                                .path("data")
                                .path("server_id")
                                .asText())
                        .toList();
                assertThat(servers).containsExactlyElementsOf(missed);
            }
            // the other account's stream saw none of it
            String own = createServer(otherKey);
            other.await(c -> !c.eventIds().isEmpty(), WAIT, "the other account's own event");
            assertThat(other.envelopes())
                    .allSatisfy(e -> assertThat(e).doesNotContain(missed.get(0)))
                    .anySatisfy(e -> assertThat(e).contains(own));
        }
    }

    private static void awaitListed(List<String> servers) {
        org.awaitility.Awaitility.await("the events API lists the new servers")
                .atMost(WAIT)
                .untilAsserted(() -> {
                    for (String server : servers) {
                        Response events = api(platform.apiKey)
                                .queryParam("resource", server)
                                .get("/v2/events");
                        assertThat(events.statusCode()).as(events.asString()).isEqualTo(200);
                        assertThat(events.<List<String>>path("data.event")).contains("server.created");
                    }
                });
    }

    @Test
    void aDisabledEndpointGetsWhatItMissedThroughRecoverAndNothingOutsideTheWindow() {
        String key = newAccountKey("Recover Co");
        try (RecordingReceiver receiver = RecordingReceiver.start()) {
            String endpoint = createEndpoint(key, receiver.url("/recover"), List.of("server.created"));
            String before = createServer(key);
            receiver.await(list -> bodiesFor(list, before).size() == 1, WAIT, "the first server.created");
            // disabled by the customer: what happens now is not sent
            api(key).post("/v2/webhooks/" + endpoint + "/disable").then().statusCode(200);
            String outside = createServer(key);
            awaitListedFor(key, List.of(outside));
            Instant outsideAt = Instant.parse(api(key).queryParam("resource", outside)
                    .queryParam("type", "server.created")
                    .get("/v2/events")
                    .<String>path("data[0].timestamp"));
            // event timestamps have whole seconds: the window starts at the next one
            Instant since = outsideAt.plusSeconds(1);
            org.awaitility.Awaitility.await("the next second")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> !Instant.now().isBefore(since));
            List<String> missed = List.of(createServer(key), createServer(key));
            awaitListedFor(key, missed);
            int alreadyReceived = receiver.count();
            api(key).post("/v2/webhooks/" + endpoint + "/enable").then().statusCode(200);
            Response recovered =
                    api(key).body(Map.of("since", since.toString())).post("/v2/webhooks/" + endpoint + "/recover");
            assertThat(recovered.statusCode()).as(recovered.asString()).isEqualTo(202);
            assertThat(recovered.<Integer>path("recovered")).isEqualTo(2);
            List<ReceivedRequest> got = receiver.await(
                    list -> missed.stream().allMatch(s -> bodiesFor(list, s).size() == 1),
                    WAIT,
                    "the missed server.created");
            // the two missed, with their original ids, and nothing before the window (the first, delivered, or the
            // one created while disabled before since)
            for (String server : missed) {
                String listedId = api(key).queryParam("resource", server)
                        .queryParam("type", "server.created")
                        .get("/v2/events")
                        .<String>path("data[0].id");
                assertThat(CanonicalJson.parse(bodiesFor(got, server).get("server.created"))
                                .path("id")
                                .asText())
                        .isEqualTo(listedId);
            }
            assertThat(bodiesFor(got, outside)).isEmpty();
            assertThat(got).hasSize(alreadyReceived + 2);
            assertThat(bodiesFor(got, before)).hasSize(1);
        }
    }

    private static void awaitListedFor(String key, List<String> servers) {
        org.awaitility.Awaitility.await("the events API lists the new servers")
                .atMost(WAIT)
                .untilAsserted(() -> {
                    for (String server : servers) {
                        assertThat(api(key).queryParam("resource", server)
                                        .get("/v2/events")
                                        .<List<String>>path("data.event"))
                                .contains("server.created");
                    }
                });
    }

    private static String newAccountKey(String name) {
        return TestAccounts.create(platform, name, "professional", null).apiKey();
    }
}
