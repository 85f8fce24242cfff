package io.cloudnexus.webhook.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.testsupport.ServiceTest;
import io.cloudnexus.webhook.Rows;
import io.cloudnexus.webhook.delivery.DeliveryTask;
import io.cloudnexus.webhook.delivery.DeliveryUpdate;
import io.cloudnexus.webhook.security.SecretCipher;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The statements that change many deliveries by id at once (the result writer's batch, the lease renewal, the
 * release) lock their rows in one order, so running together they wait for each other and never deadlock. Before,
 * each locked in its own plan's order: a writer batch and a renewal covering the same held deliveries deadlocked
 * now and then, and PostgreSQL aborted one of them (the writer's batch waited out a retry backoff meanwhile).
 */
@QuarkusTest
@ServiceTest
class LockOrderTest {

    private static final String OWNER = "lock-order-owner";
    private static final int ROWS = 1000;
    private static final int ROUNDS = 10;
    private static final int BATCH = 25;

    @Inject
    DataSource dataSource;

    @Inject
    OutcomeRepository outcomes;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    SecretCipher cipher;

    @Test
    void aWriterBatchAndARenewalOfTheSameDeliveriesNeverDeadlock() throws Exception {
        String account = ResourceIds.newId(ResourceIds.ACCOUNT);
        String endpoint = Rows.newEndpointId();
        Rows.endpoint(
                dataSource,
                endpoint,
                account,
                "http://127.0.0.1:9/unused",
                List.of("*"),
                cipher.encrypt("whsec_t", endpoint));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            String event = Rows.event(dataSource, account, Instant.now());
            ids.add(Rows.delivery(dataSource, event, endpoint, account, "pending", Instant.now(), null, OWNER));
        }
        // the writer's batches are small (tens of outcomes, as the writer's real batches: their plan follows the
        // batch's order) and in descending id order; the renewal covers all of them (its plan: physical order)
        List<Long> descending = new ArrayList<>(ids);
        Collections.reverse(descending);
        List<List<DeliveryUpdate>> batches = new ArrayList<>();
        for (int from = 0; from < descending.size(); from += BATCH) {
            List<DeliveryUpdate> batch = new ArrayList<>();
            for (Long id : descending.subList(from, Math.min(descending.size(), from + BATCH))) {
                DeliveryTask task = new DeliveryTask(
                        id, "evt_x", "server.created", endpoint, new byte[0], 0, 0, System.nanoTime(), OWNER);
                batch.add(DeliveryUpdate.deferred(task, Instant.now().plusSeconds(3600)));
            }
            batches.add(batch);
        }

        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        for (int round = 0; round < ROUNDS; round++) {
            // a deferred outcome releases the lease: take it again so both statements lock every row
            Rows.update(
                    dataSource,
                    "UPDATE webhook_delivery SET lease_owner = ?, lease_until = now() + interval '1 hour' "
                            + "WHERE endpoint_id = ?",
                    OWNER,
                    endpoint);
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> run(start, failures, () -> {
                for (List<DeliveryUpdate> batch : batches) {
                    outcomes.write(batch, Duration.ofDays(5), false);
                }
                return null;
            }));
            CompletableFuture<Void> renew = CompletableFuture.runAsync(
                    () -> run(start, failures, () -> deliveries.renew(OWNER, ids, Duration.ofMinutes(1))));
            CompletableFuture.allOf(write, renew).get(60, TimeUnit.SECONDS);
        }
        assertThat(failures).as("statements PostgreSQL aborted").isEmpty();
    }

    private interface Statement {
        Object run() throws SQLException;
    }

    private static void run(CyclicBarrier start, List<String> failures, Statement statement) {
        try {
            start.await(10, TimeUnit.SECONDS);
            statement.run();
        } catch (SQLException e) {
            failures.add(e.getSQLState() + " " + e.getMessage());
        } catch (Exception e) {
            failures.add(e.toString());
        }
    }
}
