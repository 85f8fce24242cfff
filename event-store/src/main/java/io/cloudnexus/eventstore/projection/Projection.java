package io.cloudnexus.eventstore.projection;

import java.util.List;

import io.cloudnexus.eventstore.StoredEvent;

/**
 * A service's read models, as the {@link ProjectionRebuilder} sees them: the tables they live in and the
 * method that applies one event (the same one the command path calls, so rebuilt rows equal live ones).
 * Each event-sourced service has exactly one bean implementing it.
 */
public interface Projection {

    /** The read-model tables, children before parents (emptied in this order before a replay). */
    List<String> tables();

    /** Applies one stored event to the read models. */
    void apply(StoredEvent event);

    /** Applies events in order (what a command appended, in its transaction). */
    default void apply(List<StoredEvent> events) {
        events.forEach(this::apply);
    }
}
