package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.Reply;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Another account's endpoints, deliveries and dead letters are 404; events reach only their own account's endpoints. */
@QuarkusTest
@ServiceTest
class TenantIsolationTest {

    @Test
    void anotherAccountsResourcesAreNotFound() {
        String owner = ResourceIds.newId(ResourceIds.ACCOUNT);
        String stranger = ResourceIds.newId(ResourceIds.ACCOUNT);
        try (RecordingReceiver mine = RecordingReceiver.start();
                RecordingReceiver theirs = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            mine.defaultReply(Reply.status(500));
            String endpointId =
                    Api.createEndpoint(owner, mine.url("/mine"), List.of("*")).path("id");
            String strangerEndpoint = Api.createEndpoint(stranger, theirs.url("/theirs"), List.of("*"))
                    .path("id");

            events.publish(Topics.COMPUTE_EVENTS, stranger, "server.created", "srv_t0", "{\"server_id\":\"srv_t0\"}");
            String ownerEvent = events.publish(
                    Topics.COMPUTE_EVENTS, owner, "server.created", "srv_t1", "{\"server_id\":\"srv_t1\"}");
            events.publish(Topics.COMPUTE_EVENTS, stranger, "server.created", "srv_t2", "{\"server_id\":\"srv_t2\"}");
            theirs.awaitCount(2, Duration.ofSeconds(30));
            // both published around the owner's event: the owner's event never reached the stranger's endpoint
            assertThat(theirs.received())
                    .extracting(r -> EventEnvelope.parse(r.bodyAsString()).id())
                    .doesNotContain(ownerEvent);
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Api.as(owner)
                                    .get("/webhooks/" + endpointId + "/dead-letters")
                                    .jsonPath()
                                    .getList("data"))
                            .hasSize(1));
            assertThat(mine.received())
                    .extracting(r -> EventEnvelope.parse(r.bodyAsString()).id())
                    .containsOnly(ownerEvent);
            String deliveryId = Api.as(owner)
                    .get("/webhooks/" + endpointId + "/deliveries")
                    .jsonPath()
                    .getString("data[0].id");

            for (Response r : List.of(
                    Api.as(stranger).get("/webhooks/" + endpointId),
                    Api.as(stranger).body("{\"description\":\"mine now\"}").patch("/webhooks/" + endpointId),
                    Api.as(stranger).delete("/webhooks/" + endpointId),
                    Api.as(stranger).post("/webhooks/" + endpointId + "/pause"),
                    Api.as(stranger).post("/webhooks/" + endpointId + "/secret/rotate"),
                    Api.as(stranger).body("{}").post("/webhooks/" + endpointId + "/test"),
                    Api.as(stranger).get("/webhooks/" + endpointId + "/deliveries"),
                    Api.as(stranger).get("/webhooks/" + endpointId + "/deliveries/" + deliveryId),
                    Api.as(stranger).get("/webhooks/deliveries/" + deliveryId),
                    Api.as(stranger).get("/webhooks/deliveries/" + deliveryId + "/attempts"),
                    Api.as(stranger).post("/webhooks/deliveries/" + deliveryId + "/redeliver"),
                    Api.as(stranger).get("/webhooks/" + endpointId + "/dead-letters"),
                    Api.as(stranger).post("/webhooks/" + endpointId + "/dead-letters/" + deliveryId + "/replay"),
                    Api.as(stranger).body("{}").post("/webhooks/" + endpointId + "/dead-letters/replay"),
                    Api.as(stranger).delete("/webhooks/" + endpointId + "/dead-letters"),
                    // the stranger's own endpoint does not give access to the owner's delivery either
                    Api.as(stranger)
                            .get("/webhooks/" + strangerEndpoint + "/deliveries/" + deliveryId + "/attempts"))) {
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(404);
                assertThat(r.contentType()).startsWith("application/problem+json");
            }
            assertThat(Api.as(stranger).get("/webhooks").jsonPath().getList("data.id"))
                    .containsExactly(strangerEndpoint);
            assertThat(Api.as(stranger).get("/webhooks/deliveries").jsonPath().getList("data.id"))
                    .doesNotContain(deliveryId);
            // and nothing changed for the owner
            assertThat(Api.as(owner).get("/webhooks/" + endpointId).jsonPath().getString("status"))
                    .isEqualTo("active");
            assertThat(Api.as(owner)
                            .get("/webhooks/" + endpointId + "/dead-letters")
                            .jsonPath()
                            .getList("data"))
                    .hasSize(1);
        }
    }
}
