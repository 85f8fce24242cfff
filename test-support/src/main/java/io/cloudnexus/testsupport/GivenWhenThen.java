package io.cloudnexus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;

import io.cloudnexus.contracts.events.EventData;

/**
 * Unit tests of an event-sourced aggregate, without Quarkus or a database: given past events (contracts records),
 * when a command, then these new events (or this refusal).
 *
 * <pre>{@code
 * GivenWhenThen<Server, NewEvent> servers = GivenWhenThen.of(
 *         history -> Server.replay(StoredEvent.history(ACCOUNT, Server.AGGREGATE, ID, AT, history)), NewEvent::payload);
 *
 * servers.given(created, provisioned).when(s -> s.update(null, "business"))
 *         .then(new ServerScaled(ID, "starter", "business", "us-east-1"));
 * servers.given(created, terminated).when(Server::terminate).thenRefused(ProblemException.class, "terminated");
 * }</pre>
 *
 * @param <A> the aggregate
 * @param <E> what its commands return a list of (e.g. the event store's {@code NewEvent})
 */
public final class GivenWhenThen<A, E> {

    private final Function<List<EventData>, A> replay;
    private final Function<E, EventData> payload;

    private GivenWhenThen(Function<List<EventData>, A> replay, Function<E, EventData> payload) {
        this.replay = replay;
        this.payload = payload;
    }

    /**
     * @param replay rebuilds the aggregate from its past events (oldest first)
     * @param payload the record of one event a command returns
     */
    public static <A, E> GivenWhenThen<A, E> of(Function<List<EventData>, A> replay, Function<E, EventData> payload) {
        return new GivenWhenThen<>(replay, payload);
    }

    /** The aggregate that recorded {@code history}. */
    public Given given(EventData... history) {
        return new Given(List.of(history));
    }

    /** Past events of one scenario. */
    public final class Given {

        private final List<EventData> history;

        private Given(List<EventData> history) {
            this.history = history;
        }

        /** Runs {@code command} on the replayed aggregate; what it records, or how it refuses, is checked next. */
        public Then when(Function<A, ? extends Collection<? extends E>> command) {
            A aggregate = replay.apply(history);
            try {
                return new Then(
                        command.apply(aggregate).stream()
                                .map(e -> payload.apply(e))
                                .toList(),
                        null);
            } catch (RuntimeException refusal) {
                return new Then(null, refusal);
            }
        }
    }

    /** The outcome of a command. */
    public static final class Then {

        private final List<EventData> recorded;
        private final RuntimeException refusal;

        private Then(List<EventData> recorded, RuntimeException refusal) {
            this.recorded = recorded;
            this.refusal = refusal;
        }

        /** The command recorded exactly {@code expected}, in this order. */
        public Then then(EventData... expected) {
            assertThat(recorded()).containsExactly(expected);
            return this;
        }

        /**
         * The command recorded {@code expected}, in this order, comparing every property except {@code ignored}
         * ones (fresh ids, random suffixes), with the record types compared strictly.
         */
        public Then thenIgnoring(List<String> ignored, EventData... expected) {
            assertThat(recorded())
                    .usingRecursiveFieldByFieldElementComparator(RecursiveComparisonConfiguration.builder()
                            .withIgnoredFields(ignored.toArray(String[]::new))
                            .withStrictTypeChecking(true)
                            .build())
                    .containsExactly(expected);
            return this;
        }

        /** The command accepted and recorded nothing. */
        public Then thenNothing() {
            assertThat(recorded()).isEmpty();
            return this;
        }

        /** The command was refused with a {@code type} whose message contains {@code messagePart}. */
        public Then thenRefused(Class<? extends RuntimeException> type, String messagePart) {
            assertThat(refusal)
                    .as("refusal (recorded instead: %s)", recorded)
                    .isInstanceOf(type)
                    .hasMessageContaining(messagePart);
            return this;
        }

        /** What the command recorded (it must not have been refused). */
        public List<EventData> recorded() {
            if (refusal != null) {
                throw new AssertionError("The command was refused: " + refusal, refusal);
            }
            return recorded;
        }

        @Override
        public String toString() {
            return refusal != null ? "refused: " + refusal : "recorded: " + Arrays.toString(recorded.toArray());
        }
    }
}
