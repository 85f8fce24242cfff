package io.cloudnexus.eventstore;

/**
 * Another writer appended to the same aggregate after this command loaded it: the
 * {@code UNIQUE (aggregate_id, version)} constraint refused the append. Nothing was written (the
 * transaction rolls back); services answer 409 and the caller may retry with fresh state.
 */
public class ConcurrencyConflict extends RuntimeException {

    private final String aggregateId;
    private final int expectedVersion;

    public ConcurrencyConflict(String aggregateId, int expectedVersion) {
        super("Aggregate " + aggregateId + " changed concurrently (expected version " + expectedVersion + ")",
                null, false, false);
        this.aggregateId = aggregateId;
        this.expectedVersion = expectedVersion;
    }

    public String aggregateId() {
        return aggregateId;
    }

    /** The version the losing command had loaded. */
    public int expectedVersion() {
        return expectedVersion;
    }
}
