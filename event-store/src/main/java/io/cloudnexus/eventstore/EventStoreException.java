package io.cloudnexus.eventstore;

/** The event store's database failed (not a client mistake): services answer 500 and log it. */
public class EventStoreException extends RuntimeException {

    public EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
