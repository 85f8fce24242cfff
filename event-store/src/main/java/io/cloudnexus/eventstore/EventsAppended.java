package io.cloudnexus.eventstore;

/**
 * CDI event fired inside the appending transaction; the outbox relay observes it after a successful
 * commit ({@code TransactionPhase.AFTER_SUCCESS}) to publish at once instead of waiting for its next poll.
 *
 * @param count how many events the append wrote
 */
public record EventsAppended(int count) {}
