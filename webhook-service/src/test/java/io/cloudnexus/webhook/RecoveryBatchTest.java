package io.cloudnexus.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.Topics;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** A recovery of more events than {@code scheduler.replay-batch-size} (10 here) runs in batches, one statement each. */
@QuarkusTest
@ServiceTest
@TestProfile(LeasesProfile.class)
class RecoveryBatchTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    DataSource dataSource;

    @Test
    void aRecoveryOfMoreEventsThanABatchIsSetBasedPerBatchAndDeliversAll() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        int n = 25;
        List<String> published = new ArrayList<>();
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            // stored before the endpoint exists: it never got them
            for (int i = 0; i < n; i++) {
                published.add(events.publish(
                        Topics.COMPUTE_EVENTS,
                        account,
                        "server.provisioned",
                        "srv_b" + i,
                        TestEvents.serverProvisioned("srv_b" + i, i)));
            }
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Rows.value(
                                    dataSource, "SELECT count(*) FROM webhook_event WHERE account_id = ?", account))
                            .isEqualTo((long) n));
            String id = Api.createEndpoint(account, receiver.url("/batches"), List.of("server.*"))
                    .path("id");
            // paused: nothing claims (and so rewrites) the rows while the test inspects them
            Api.as(account).post("/webhooks/" + id + "/pause").then().statusCode(200);

            Response recovered = Api.as(account)
                    .body(Map.of(
                            "since", Instant.now().minus(Duration.ofHours(1)).toString()))
                    .post("/webhooks/" + id + "/recover");
            assertThat(recovered.statusCode()).as(recovered.asString()).isEqualTo(202);
            assertThat(recovered.jsonPath().getInt("recovered")).isEqualTo(n);
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "SELECT count(*), count(DISTINCT xmin::text), count(lease_owner) FROM webhook_delivery "
                                    + "WHERE endpoint_id = ? AND status = 'pending'")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(n);
                    assertThat(rs.getInt(2))
                            .as("statements (batches of %d)", LeasesProfile.REPLAY_BATCH)
                            .isEqualTo(3);
                    assertThat(rs.getInt(3))
                            .as("held in memory by the recovery")
                            .isZero();
                }
            }
            Api.as(account).post("/webhooks/" + id + "/resume").then().statusCode(200);
            assertThat(receiver.awaitCount(n, WAIT))
                    .extracting(r -> r.header("webhook-id"))
                    .containsExactlyInAnyOrderElementsOf(published);
        }
    }
}
