package io.cloudnexus.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Appends, loads and replays against a real PostgreSQL; the version constraint turns races into conflicts. */
class EventStoreTest {

    private static PGSimpleDataSource ds;
    private EventStore store;

    @BeforeAll
    static void database() throws Exception {
        ds = TestStore.freshDatabase();
    }

    @BeforeEach
    void clean() throws Exception {
        TestStore.truncate(ds);
        store = new EventStore(ds, null);
    }

    @Test
    void appendsWithContiguousVersionsAndLoadsThemBack() {
        String id = TestStore.newServerId();
        store.append(
                "acc_a",
                "server",
                id,
                0,
                List.of(NewEvent.of("server.created", TestStore.sample("server.created", id))));
        store.append(
                "acc_a",
                "server",
                id,
                1,
                List.of(
                        NewEvent.of("server.provisioned", TestStore.sample("server.provisioned", id)),
                        NewEvent.of("server.scaled", TestStore.sample("server.scaled", id))));

        List<StoredEvent> events = store.load(id);
        assertThat(events).extracting(StoredEvent::version).containsExactly(1, 2, 3);
        assertThat(events)
                .extracting(StoredEvent::type)
                .containsExactly("server.created", "server.provisioned", "server.scaled");
        assertThat(events.get(1).data()).isEqualTo(TestStore.sample("server.provisioned", id));
        assertThat(events).allSatisfy(e -> assertThat(e.accountId()).isEqualTo("acc_a"));
        assertThat(store.load("srv_unknown")).isEmpty();
    }

    @Test
    void aSecondAppendAtTheSameVersionIsAConflictAndWritesNothing() {
        String id = TestStore.newServerId();
        store.append(
                "acc_a",
                "server",
                id,
                0,
                List.of(NewEvent.of("server.created", TestStore.sample("server.created", id))));

        assertThatThrownBy(() -> store.append(
                        "acc_a",
                        "server",
                        id,
                        0,
                        List.of(NewEvent.of("server.created", TestStore.sample("server.created", id)))))
                .isInstanceOf(ConcurrencyConflict.class)
                .satisfies(e ->
                        assertThat(((ConcurrencyConflict) e).expectedVersion()).isZero())
                .satisfies(e ->
                        assertThat(((ConcurrencyConflict) e).problem().status()).isEqualTo(409));
        assertThat(store.load(id)).hasSize(1);
    }

    @Test
    void refusesDataThatDoesNotMatchTheCatalog() {
        String id = TestStore.newServerId();
        ObjectNode bad = (ObjectNode) TestStore.sample("server.provisioned", id);
        bad.remove("ip");
        assertThatThrownBy(
                        () -> store.append("acc_a", "server", id, 0, List.of(NewEvent.of("server.provisioned", bad))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ip");
        assertThat(store.load(id)).isEmpty();
    }

    @Test
    void replaysTheWholeStoreInGlobalOrderAcrossPages() {
        for (int i = 0; i < 7; i++) {
            String id = TestStore.newServerId();
            store.append(
                    "acc_" + i,
                    "server",
                    id,
                    0,
                    List.of(NewEvent.of("server.created", TestStore.sample("server.created", id))));
        }
        List<StoredEvent> replayed = new java.util.ArrayList<>();
        long count = store.replay(3, replayed::add);

        assertThat(count).isEqualTo(7);
        assertThat(replayed).extracting(StoredEvent::globalSeq).isSorted().doesNotHaveDuplicates();
        assertThat(replayed)
                .extracting(StoredEvent::accountId)
                .containsExactly("acc_0", "acc_1", "acc_2", "acc_3", "acc_4", "acc_5", "acc_6");
    }
}
