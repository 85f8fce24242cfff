package io.cloudnexus.webhook.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.RefusingTrigger;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.Rows;
import io.cloudnexus.webhook.delivery.DeliveryTask;
import io.cloudnexus.webhook.security.SecretCipher;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The ingest writes each chunk (an event and its deliveries) in one autocommit statement. What the consumer's
 * offset commit relies on: a chunk's deliveries are handed over (to be sent) only once they are committed, as seen
 * from any other connection; a chunk that fails leaves nothing of itself, neither its events nor its deliveries,
 * and the same ingest retried creates each of them once.
 */
@QuarkusTest
@ServiceTest
class IngestRepositoryTest {

    private static final String OWNER = "ingest-test-owner";

    @Inject
    DataSource dataSource;

    @Inject
    IngestRepository ingest;

    @Inject
    SecretCipher cipher;

    @Test
    void eachChunkIsCommittedBeforeItsDeliveriesAreHandedOver() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        List<String> endpoints = endpoints(account, 5);
        IngestRepository.MatchedEvent event = event(account, endpoints);
        List<Long> handedOver = new ArrayList<>();
        List<Long> visibleElsewhere = new ArrayList<>();

        IngestRepository.Ingested done =
                ingest.ingest(List.of(event), false, OWNER, Duration.ofMinutes(5), 2, new IngestRepository.Sink() {
                    @Override
                    public int room(String endpointId) {
                        return 100;
                    }

                    @Override
                    public void committed(List<DeliveryTask> leased) {
                        for (DeliveryTask task : leased) {
                            handedOver.add(task.id());
                            try { // another pooled connection: sees only what is committed
                                if (((Number) Rows.value(
                                                        dataSource,
                                                        "SELECT count(*) FROM webhook_delivery d JOIN webhook_event e "
                                                                + "USING (event_id) WHERE d.id = ?",
                                                        task.id()))
                                                .longValue()
                                        == 1) {
                                    visibleElsewhere.add(task.id());
                                }
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }
                });

        // (the running engine may claim these deliveries of an unknown replica meanwhile: only visibility counts)
        assertThat(done.created()).isEqualTo(5);
        assertThat(handedOver).hasSize(5).doesNotHaveDuplicates();
        assertThat(visibleElsewhere).containsExactlyElementsOf(handedOver);
    }

    @Test
    void aChunkThatFailsLeavesNeitherItsEventNorItsDeliveriesAndARetryCreatesThemOnce() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        List<String> endpoints = endpoints(account, 3);
        IngestRepository.MatchedEvent event = event(account, endpoints);
        List<DeliveryTask> handedOver = new ArrayList<>();
        IngestRepository.Sink sink = new IngestRepository.Sink() {
            @Override
            public int room(String endpointId) {
                return 100;
            }

            @Override
            public void committed(List<DeliveryTask> leased) {
                handedOver.addAll(leased);
            }
        };

        try (RefusingTrigger refused = RefusingTrigger.refuse(dataSource, "webhook_delivery", account)) {
            assertThatThrownBy(() -> ingest.ingest(List.of(event), false, OWNER, Duration.ofMinutes(5), 10, sink))
                    .isInstanceOf(SQLException.class);
        }
        assertThat(count("webhook_event", event.eventId())).isZero();
        assertThat(count("webhook_delivery", event.eventId())).isZero();
        assertThat(handedOver).isEmpty();

        ingest.ingest(List.of(event), false, OWNER, Duration.ofMinutes(5), 10, sink);
        ingest.ingest(List.of(event), false, OWNER, Duration.ofMinutes(5), 10, sink); // a re-read record

        assertThat(count("webhook_event", event.eventId())).isEqualTo(1);
        assertThat(count("webhook_delivery", event.eventId())).isEqualTo(3);
        assertThat(handedOver).hasSize(3);
    }

    private List<String> endpoints(String account, int n) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = Rows.newEndpointId();
            Rows.endpoint(
                    dataSource, id, account, "http://127.0.0.1:9/unused", List.of("*"), cipher.encrypt("whsec_t", id));
            ids.add(id);
        }
        return ids;
    }

    private static IngestRepository.MatchedEvent event(String account, List<String> endpoints) {
        String id = EventIds.newId();
        return new IngestRepository.MatchedEvent(
                id,
                account,
                "server.created",
                ("{\"event\":\"server.created\",\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
                null,
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                null,
                endpoints);
    }

    private long count(String table, String eventId) throws SQLException {
        return ((Number) Rows.value(dataSource, "SELECT count(*) FROM " + table + " WHERE event_id = ?", eventId))
                .longValue();
    }
}
