package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.ReceivedRequest;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.rest.EventResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The Events API: every event is stored (also those no endpoint wants) and listed newest first in store order with
 * cursor paging, filtered by type (wildcards), resource and time; one event with its deliveries per endpoint; other
 * accounts, test events and events past retention are not shown.
 */
@QuarkusTest
@ServiceTest
class EventsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    DataSource dataSource;

    @Test
    void eventsNoEndpointWantsAreListedNewestFirstWithCursorPaging() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String stranger = ResourceIds.newId(ResourceIds.ACCOUNT);
        List<String> published = new ArrayList<>();
        try (TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            // one key: one partition, so the store order is the publish order
            for (int i = 0; i < 5; i++) {
                published.add(events.publish(
                        Topics.COMPUTE_EVENTS,
                        account,
                        "server.provisioned",
                        "srv_order",
                        TestEvents.serverProvisioned("srv_order", i)));
            }
            events.publish(
                    Topics.COMPUTE_EVENTS, stranger, "server.created", "srv_other", "{\"server_id\":\"srv_other\"}");
        }
        List<String> newestFirst = new ArrayList<>(published);
        Collections.reverse(newestFirst);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(list(account, Map.of()).getList("data.id", String.class))
                        .containsExactlyElementsOf(newestFirst));
        assertThat(Rows.value(dataSource, "SELECT count(*) FROM webhook_delivery WHERE account_id = ?", account))
                .as("no endpoint: no deliveries")
                .isEqualTo(0L);

        // each item IS the stored envelope, byte for byte
        Response all = Api.as(account).get("/events");
        assertThat(all.contentType()).startsWith("application/json");
        for (String id : published) {
            String stored = new String(
                    (byte[]) Rows.value(dataSource, "SELECT body FROM webhook_event WHERE event_id = ?", id),
                    StandardCharsets.UTF_8);
            assertThat(all.asString()).contains(stored);
            assertThat(EventEnvelope.parse(stored).id()).isEqualTo(id);
        }
        assertThat(all.jsonPath().getString("data[0].event")).isEqualTo("server.provisioned");
        assertThat(all.jsonPath().getString("data[0].timestamp")).endsWith("Z");
        assertThat(all.jsonPath().getString("data[0].data.server_id")).isEqualTo("srv_order");
        assertThat(all.jsonPath().getBoolean("has_more")).isFalse();

        JsonPath first = list(account, Map.of("limit", "2"));
        assertThat(first.getList("data.id", String.class)).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(first.getBoolean("has_more")).isTrue();
        JsonPath second = list(account, Map.of("limit", "2", "starting_after", newestFirst.get(1)));
        assertThat(second.getList("data.id", String.class)).containsExactlyElementsOf(newestFirst.subList(2, 4));
        assertThat(second.getBoolean("has_more")).isTrue();
        JsonPath third = list(account, Map.of("limit", "2", "starting_after", newestFirst.get(3)));
        assertThat(third.getList("data.id", String.class)).containsExactly(newestFirst.get(4));
        assertThat(third.getBoolean("has_more")).isFalse();

        // a cursor that is not one of the account's events: 400 naming it
        for (String cursor : List.of(EventIds.newId(), "srv_123")) {
            Response bad = Api.as(account).queryParam("starting_after", cursor).get("/events");
            assertThat(bad.statusCode()).as(bad.asString()).isEqualTo(400);
            assertThat(bad.jsonPath().getString("errors[0].field")).isEqualTo("starting_after");
        }
        Response othersCursor =
                Api.as(stranger).queryParam("starting_after", published.get(0)).get("/events");
        assertThat(othersCursor.statusCode()).isEqualTo(400);

        // an event no endpoint wanted: stored, with no deliveries
        assertThat(Api.as(account).get("/events/" + published.get(0)).jsonPath().getList("deliveries"))
                .isEmpty();
    }

    @Test
    void filtersByTypeWithWildcardsByResourceAndByTime() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String created;
        String provisioned;
        String joined;
        String invoice;
        try (TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            created = events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.created", "srv_f1", "{\"server_id\":\"srv_f1\"}");
            provisioned = events.publish(
                    Topics.COMPUTE_EVENTS,
                    account,
                    "server.provisioned",
                    "srv_f1",
                    TestEvents.serverProvisioned("srv_f1", 1));
            joined = events.publish(
                    Topics.CLUSTER_EVENTS,
                    account,
                    "cluster.node.joined",
                    "cls_f2",
                    "{\"cluster_id\":\"cls_f2\",\"node_id\":\"node-1\",\"pool\":\"default\"}");
            invoice = events.publish(
                    Topics.BILLING_EVENTS,
                    account,
                    "billing.invoice.finalized",
                    "inv_f3",
                    "{\"invoice_id\":\"inv_f3\",\"amount_cents\":1200,\"currency\":\"USD\"}");
        }
        await().atMost(WAIT)
                .untilAsserted(() ->
                        assertThat(list(account, Map.of()).getList("data.id")).hasSize(4));

        assertThat(ids(account, Map.of("type", "server.*"))).containsExactlyInAnyOrder(created, provisioned);
        assertThat(ids(account, Map.of("type", "server.created, billing.invoice.finalized")))
                .containsExactlyInAnyOrder(created, invoice);
        assertThat(ids(account, Map.of("type", "cluster.*"))).containsExactly(joined);
        assertThat(ids(account, Map.of("type", "*"))).hasSize(4);
        for (String bad : List.of("server.exploded", "serv*", "server.*,nope", ",")) {
            Response r = Api.as(account).queryParam("type", bad).get("/events");
            assertThat(r.statusCode()).as(bad + ": " + r.asString()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.jsonPath().getString("errors[0].field")).isEqualTo("type");
        }
        assertThat(Api.as(account)
                        .queryParam("type", "server.exploded")
                        .get("/events")
                        .jsonPath()
                        .getList("errors[0].valid_values"))
                .contains("server.provisioned", "cluster.node.joined");

        assertThat(ids(account, Map.of("resource", "srv_f1"))).containsExactlyInAnyOrder(created, provisioned);
        assertThat(ids(account, Map.of("resource", "cls_f2"))).containsExactly(joined);
        assertThat(ids(account, Map.of("resource", "srv_f1", "type", "server.provisioned")))
                .containsExactly(provisioned);
        assertThat(ids(account, Map.of("resource", "srv_nothing"))).isEmpty();
        for (String bad : List.of("f1", "xyz_abc", "srv_UPPER", "srv_" + "a".repeat(65), "srv_a;drop")) {
            Response r = Api.as(account).queryParam("resource", bad).get("/events");
            assertThat(r.statusCode()).as(bad + ": " + r.asString()).isEqualTo(400);
            assertThat(r.jsonPath().getString("errors[0].field")).isEqualTo("resource");
        }

        // from/to on the time the event occurred (the envelope's timestamp)
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Rows.update(
                dataSource,
                "UPDATE webhook_event SET occurred_at = now() - interval '48 hours' WHERE event_id = ?",
                joined);
        Rows.update(
                dataSource,
                "UPDATE webhook_event SET occurred_at = now() - interval '24 hours' WHERE event_id = ?",
                invoice);
        assertThat(ids(account, Map.of("from", now.minus(Duration.ofHours(36)).toString())))
                .containsExactlyInAnyOrder(created, provisioned, invoice);
        assertThat(ids(
                        account,
                        Map.of(
                                "from",
                                now.minus(Duration.ofHours(36)).toString(),
                                "to",
                                now.minus(Duration.ofHours(12)).toString())))
                .containsExactly(invoice);
        assertThat(ids(account, Map.of("to", now.minus(Duration.ofHours(36)).toString())))
                .containsExactly(joined);
        for (String field : List.of("from", "to")) {
            Response r = Api.as(account).queryParam(field, "yesterday").get("/events");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.jsonPath().getString("errors[0].field")).isEqualTo(field);
        }
    }

    @Test
    void oneEventShowsItsEnvelopeAndOneDeliveryPerEndpoint() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver ok = RecordingReceiver.start();
                RecordingReceiver failing = RecordingReceiver.start();
                RecordingReceiver other = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            failing.defaultReply(Reply.status(500));
            String okId = Api.createEndpoint(account, ok.url("/ok"), List.of("server.*"))
                    .path("id");
            String failingId = Api.createEndpoint(account, failing.url("/failing"), List.of("server.created"))
                    .path("id");
            Api.createEndpoint(account, other.url("/other"), List.of("cluster.*"));
            String eventId = events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.created", "srv_one", "{\"server_id\":\"srv_one\"}");
            ReceivedRequest received = ok.awaitCount(1, WAIT).get(0);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Api.as(account)
                                    .get("/webhooks/" + failingId + "/dead-letters")
                                    .jsonPath()
                                    .getList("data"))
                            .hasSize(1));

            Response one = Api.as(account).get("/events/" + eventId);
            assertThat(one.statusCode()).as(one.asString()).isEqualTo(200);
            // the envelope's bytes as the receiver got them, then the deliveries
            String body = received.bodyAsString();
            assertThat(one.asString()).startsWith(body.substring(0, body.length() - 1) + ",\"deliveries\":[");
            JsonPath json = one.jsonPath();
            EventEnvelope envelope = EventEnvelope.parse(body);
            assertThat(json.getString("event")).isEqualTo("server.created");
            assertThat(json.getString("id")).isEqualTo(eventId);
            assertThat(json.getString("timestamp")).isEqualTo(EventEnvelope.formatTimestamp(envelope.timestamp()));
            assertThat(json.getString("data.server_id")).isEqualTo("srv_one");
            assertThat(json.getList("deliveries")).hasSize(2);
            Map<String, Object> delivered = json.getMap("deliveries.find { it.endpoint_id == '" + okId + "' }");
            assertThat(delivered.get("status")).isEqualTo("delivered");
            assertThat(delivered.get("attempts")).isEqualTo(1);
            assertThat(delivered.get("last_status_code")).isEqualTo(200);
            assertThat(delivered.get("delivery_id").toString()).startsWith("dlv_");
            assertThat(delivered.get("last_attempt_at").toString()).endsWith("Z");
            Map<String, Object> dead = json.getMap("deliveries.find { it.endpoint_id == '" + failingId + "' }");
            assertThat(dead.get("status")).isEqualTo("dead");
            assertThat(dead.get("attempts")).isEqualTo(5);
            assertThat(dead.get("last_status_code")).isEqualTo(500);
            assertThat(Api.as(account)
                            .get("/webhooks/deliveries/" + dead.get("delivery_id"))
                            .jsonPath()
                            .getString("event_id"))
                    .isEqualTo(eventId);
        }
    }

    @Test
    void anotherAccountsEventsAreNotShownAndTheirIdsAreNotFound() {
        String owner = ResourceIds.newId(ResourceIds.ACCOUNT);
        String stranger = ResourceIds.newId(ResourceIds.ACCOUNT);
        String mine;
        String theirs;
        try (TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            mine = events.publish(
                    Topics.COMPUTE_EVENTS, owner, "server.created", "srv_iso1", "{\"server_id\":\"srv_iso1\"}");
            theirs = events.publish(
                    Topics.COMPUTE_EVENTS, stranger, "server.created", "srv_iso2", "{\"server_id\":\"srv_iso2\"}");
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(ids(owner, Map.of())).containsExactly(mine);
            assertThat(ids(stranger, Map.of())).containsExactly(theirs);
        });
        assertThat(Api.as(owner).get("/events/" + mine).statusCode()).isEqualTo(200);
        Response others = Api.as(stranger).get("/events/" + mine);
        assertThat(others.statusCode()).isEqualTo(404);
        assertThat(others.contentType()).startsWith("application/problem+json");
        assertThat(ids(stranger, Map.of("resource", "srv_iso1"))).isEmpty();
        // ids of no event, or not event ids at all: 404 like deliveries
        for (String id : List.of(EventIds.newId(), "evt_UPPER", "evt_", "dlv_1", "evt_" + "a".repeat(80))) {
            Response r = Api.as(owner).get("/events/" + id);
            assertThat(r.statusCode()).as(id).isEqualTo(404);
            assertThat(r.contentType()).as(id).startsWith("application/problem+json");
        }
    }

    @Test
    void anEventPastTheRetentionPeriodIsNotShown() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String old;
        String older;
        String fresh;
        try (TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            old = events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.created", "srv_r", "{\"server_id\":\"srv_r\"}");
            older = events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.terminated", "srv_r", "{\"server_id\":\"srv_r\"}");
            fresh = events.publish(
                    Topics.COMPUTE_EVENTS,
                    account,
                    "server.provisioned",
                    "srv_r",
                    TestEvents.serverProvisioned("srv_r", 2));
        }
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(ids(account, Map.of())).hasSize(3));
        // retention.age is 30 days: one occurred 31 days ago, one was stored 31 days ago (the job deletes by that)
        Rows.update(
                dataSource,
                "UPDATE webhook_event SET occurred_at = now() - interval '31 days' WHERE event_id = ?",
                old);
        Rows.update(
                dataSource,
                "UPDATE webhook_event SET created_at = now() - interval '31 days' WHERE event_id = ?",
                older);
        assertThat(ids(account, Map.of())).containsExactly(fresh);
        assertThat(Api.as(account).get("/events/" + old).statusCode()).isEqualTo(404);
        assertThat(Api.as(account).get("/events/" + older).statusCode()).isEqualTo(404);
        assertThat(Api.as(account).get("/events/" + fresh).statusCode()).isEqualTo(200);
        // a day within retention is shown
        Rows.update(
                dataSource,
                "UPDATE webhook_event SET occurred_at = now() - interval '29 days' WHERE event_id = ?",
                old);
        assertThat(Api.as(account).get("/events/" + old).statusCode()).isEqualTo(200);
    }

    @Test
    void testDeliveriesAreNotAccountEvents() {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            String endpointId = Api.createEndpoint(account, receiver.url("/t"), List.of("server.*"))
                    .path("id");
            Response test = Api.as(account).body("{}").post("/webhooks/" + endpointId + "/test");
            assertThat(test.statusCode()).as(test.asString()).isEqualTo(202);
            String testEvent = test.jsonPath().getString("event_id");
            String real = events.publish(
                    Topics.COMPUTE_EVENTS, account, "server.created", "srv_tt", "{\"server_id\":\"srv_tt\"}");
            receiver.awaitCount(2, WAIT);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(ids(account, Map.of())).containsExactly(real));
            assertThat(Api.as(account).get("/events/" + testEvent).statusCode()).isEqualTo(404);
            // the test delivery itself is still listed among the deliveries, marked as a test
            assertThat(Api.as(account)
                            .get("/webhooks/" + endpointId + "/deliveries")
                            .jsonPath()
                            .getList("data.test", Boolean.class))
                    .containsExactlyInAnyOrder(true, false);
        }
    }

    @Test
    void theEventIdParameterLeavesTheCatalogAndTheStreamToTheirOwnClasses() throws Exception {
        Path path = EventResource.class.getMethod("get", String.class).getAnnotation(Path.class);
        String template = path.value();
        Pattern id = Pattern.compile(template.substring(template.indexOf(':') + 1, template.length() - 1)
                .trim());
        assertThat(id.matcher(EventIds.newId()).matches()).isTrue();
        assertThat(id.matcher("stream").matches()).isFalse();
        assertThat(id.matcher("types").matches()).isFalse();
        assertThat(Api.as(ResourceIds.newId(ResourceIds.ACCOUNT))
                        .get("/events/types")
                        .jsonPath()
                        .getList("data.type"))
                .contains("server.provisioned");
    }

    private static JsonPath list(String account, Map<String, String> query) {
        Response r = Api.as(account).queryParams(query).get("/events");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath();
    }

    private static List<String> ids(String account, Map<String, String> query) {
        return list(account, query).getList("data.id", String.class);
    }
}
