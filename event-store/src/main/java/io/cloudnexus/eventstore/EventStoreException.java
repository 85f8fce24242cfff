package io.cloudnexus.eventstore;

/**
 * The event store's database failed (not a client mistake). The {@link java.sql.SQLException} is the cause, so
 * service-common's problem mapper answers 503 with Retry-After when the database is unreachable (a connection
 * failure) and 500, logged, for anything else.
 */
public class EventStoreException extends RuntimeException {

    public EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
