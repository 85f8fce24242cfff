package io.cloudnexus.webhook.delivery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.KafkaBrokerResource;
import io.cloudnexus.testsupport.RecordingReceiver;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.Rows;
import io.cloudnexus.webhook.TestEvents;
import io.cloudnexus.webhook.security.SecretCipher;
import io.cloudnexus.webhook.security.SecretCipherTest;
import io.cloudnexus.webhook.security.SecretReencryption;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The endpoint index stays fresh and survives bad rows. The periodic full reload is pushed out to an hour here,
 * so whatever the index sees, it sees through the change notifications or the per-poll version check.
 */
@QuarkusTest
@TestProfile(EndpointIndexFreshnessTest.SlowRefresh.class)
@ServiceTest
class EndpointIndexFreshnessTest {

    public static class SlowRefresh implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cloudnexus.webhooks.scheduler.index-refresh", "1h");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    EndpointIndex index;

    @Inject
    SecretCipher cipher;

    @Inject
    SecretReencryption reencryption;

    @Test
    void anEndpointCreatedByAnotherReplicaIsMatchedByTheVeryNextEvent() throws Exception {
        index.stopListening(); // no notification: only the consumer's version check can see the new endpoint
        try (RecordingReceiver receiver = RecordingReceiver.start();
                TestEvents events = new TestEvents(KafkaBrokerResource.bootstrapServers())) {
            String account = ResourceIds.newId(ResourceIds.ACCOUNT);
            String endpoint = Rows.newEndpointId();
            Rows.endpoint(
                    dataSource,
                    endpoint,
                    account,
                    receiver.url("/other-replica"),
                    List.of("server.*"),
                    cipher.encrypt("whsec_" + "A".repeat(43) + "=", endpoint));
            assertThat(index.get(endpoint)).isNull();
            String eventId = events.publish(
                    "compute.events", account, "server.provisioned", "srv_1", TestEvents.serverProvisioned("srv_1", 1));
            assertThat(receiver.awaitCount(1, Duration.ofSeconds(30)).get(0).bodyAsString())
                    .contains(eventId);
            assertThat(index.get(endpoint)).isNotNull();
        } finally {
            index.startListening();
        }
    }

    @Test
    void aChangeCommittedAnywhereReachesTheIndexThroughItsNotification() throws Exception {
        String endpoint = Rows.newEndpointId();
        Rows.endpoint(
                dataSource,
                endpoint,
                ResourceIds.newId(ResourceIds.ACCOUNT),
                "http://127.0.0.1:9/n",
                List.of("*"),
                cipher.encrypt("whsec_n", endpoint));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> index.get(endpoint) != null);
        Rows.update(dataSource, "UPDATE webhook_endpoint SET status = 'paused' WHERE id = ?", endpoint);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> !index.get(endpoint).active());
        Rows.update(dataSource, "DELETE FROM webhook_endpoint WHERE id = ?", endpoint);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> index.get(endpoint) == null);
    }

    @Test
    void aRowThatDoesNotDecryptIsSkippedAndReportedAndNeverStopsTheIndex() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String good = Rows.newEndpointId();
        String garbage = Rows.newEndpointId();
        String moved = Rows.newEndpointId();
        byte[] goodSecret = cipher.encrypt("whsec_good", good);
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        Rows.endpoint(dataSource, good, account, "http://127.0.0.1:9/g", List.of("*"), goodSecret);
        Rows.endpoint(dataSource, garbage, account, "http://127.0.0.1:9/b", List.of("*"), random);
        // another endpoint's ciphertext copied into this row: bound to the other id, it does not decrypt here
        Rows.endpoint(dataSource, moved, account, "http://127.0.0.1:9/m", List.of("*"), goodSecret);
        try {
            index.reloadAll();
            assertThat(index.get(good)).isNotNull();
            assertThat(index.get(good).secret()).isEqualTo("whsec_good");
            assertThat(index.get(garbage)).isNull();
            assertThat(index.get(moved)).isNull();
            assertThat(index.skipped()).containsKeys(garbage, moved);
            assertThat(index.skipped().values()).noneMatch(reason -> reason.contains("whsec_"));
            assertThat(index.lastFullReload()).isNotNull();

            JsonPath ready = given().get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            Map<String, Object> data = ready.getMap("checks.find { it.name == 'webhook engine progress' }.data");
            assertThat(((Number) data.get("endpoint_index_skipped")).intValue()).isGreaterThanOrEqualTo(2);
            assertThat((String) data.get("endpoint_index_skipped_ids")).contains(garbage, moved);
            assertThat(given().get("/q/metrics").asString()).containsPattern("webhook_endpoint_index_skipped [2-9]");

            // later changes are still picked up, by the full reload and per endpoint
            String later = Rows.newEndpointId();
            Rows.endpoint(
                    dataSource, later, account, "http://127.0.0.1:9/l", List.of("*"), cipher.encrypt("whsec_l", later));
            index.reloadAll();
            assertThat(index.get(later)).isNotNull();
            index.reload(garbage); // a single reload of a bad row is skipped too, not an exception
            assertThat(index.get(garbage)).isNull();
        } finally {
            Rows.update(dataSource, "DELETE FROM webhook_endpoint WHERE id IN (?, ?)", garbage, moved);
            index.reloadAll();
        }
        assertThat(index.skipped()).doesNotContainKeys(garbage, moved);
    }

    @Test
    void secretsWrittenBeforeEndpointBindingAreReencryptedAtStart() throws Exception {
        String endpoint = Rows.newEndpointId();
        Rows.endpoint(
                dataSource,
                endpoint,
                ResourceIds.newId(ResourceIds.ACCOUNT),
                "http://127.0.0.1:9/old",
                List.of("*"),
                SecretCipherTest.legacy("whsec_legacy"));
        assertThat(reencryption.run()).isGreaterThanOrEqualTo(1);
        byte[] stored =
                (byte[]) Rows.value(dataSource, "SELECT secret_enc FROM webhook_endpoint WHERE id = ?", endpoint);
        assertThat(cipher.isLegacy(stored, endpoint)).isFalse();
        assertThat(cipher.decrypt(stored, endpoint)).isEqualTo("whsec_legacy");
        assertThat(reencryption.run()).isZero();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> index.get(endpoint) != null
                        && "whsec_legacy".equals(index.get(endpoint).secret()));
    }
}
