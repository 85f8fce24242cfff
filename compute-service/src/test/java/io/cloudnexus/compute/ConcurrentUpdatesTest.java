package io.cloudnexus.compute;

import static io.cloudnexus.compute.ComputeTesting.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.eventstore.EventStore;
import io.cloudnexus.eventstore.StoredEvent;
import io.cloudnexus.testsupport.ServiceTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** 20 concurrent renames of one server: contiguous versions, every success recorded, every loser a 409. */
@QuarkusTest
@ServiceTest
class ConcurrentUpdatesTest {

    private static final int WRITERS = 20;

    @Inject
    EventStore store;

    @Test
    void concurrentUpdatesNeverLoseOneAndTheLosersGet409() throws Exception {
        String account = ComputeTesting.newAccount();
        String id = ComputeTesting.createServer(account);
        ComputeTesting.awaitActive(account, id);

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<Response>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < WRITERS; i++) {
                String name = "writer-" + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return as(account).body("{\"name\":\"" + name + "\"}").put("/servers/" + id);
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> f : futures) {
                responses.add(f.get());
            }

            List<Response> won =
                    responses.stream().filter(r -> r.statusCode() == 200).toList();
            List<Response> lost =
                    responses.stream().filter(r -> r.statusCode() != 200).toList();
            assertThat(won).isNotEmpty();
            assertThat(lost).isNotEmpty().allSatisfy(r -> {
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(409);
                assertThat(r.contentType()).startsWith("application/problem+json");
            });

            List<StoredEvent> events = store.load(id);
            assertThat(events)
                    .extracting(StoredEvent::version)
                    .containsExactlyElementsOf(
                            IntStream.rangeClosed(1, events.size()).boxed().toList());
            List<String> recordedNames = events.stream()
                    .filter(e -> e.type().equals("server.renamed"))
                    .map(e -> e.data().path("name").asText())
                    .toList();
            assertThat(recordedNames)
                    .containsExactlyInAnyOrderElementsOf(won.stream()
                            .map(r -> r.jsonPath().getString("name"))
                            .toList());
            assertThat(won).extracting(r -> r.jsonPath().getInt("version")).doesNotHaveDuplicates();

            Response now = as(account).get("/servers/" + id);
            assertThat(now.jsonPath().getInt("version")).isEqualTo(events.size());
            assertThat(now.jsonPath().getString("name")).isEqualTo(recordedNames.get(recordedNames.size() - 1));
        } finally {
            pool.shutdownNow();
        }
    }
}
