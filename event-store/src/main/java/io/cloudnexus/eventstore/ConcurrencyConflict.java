package io.cloudnexus.eventstore;

import io.cloudnexus.common.problem.ProblemException;

/**
 * Another writer appended to the same aggregate after this command loaded it: the
 * {@code UNIQUE (aggregate_id, version)} constraint refused the append. Nothing was written (the
 * transaction rolls back). For an API caller it is a 409 problem (the services' one problem-details mapper answers
 * it: reload and retry); workers retry it ({@link AppendRetry}).
 */
public class ConcurrencyConflict extends ProblemException {

    private final String aggregateId;
    private final int expectedVersion;

    public ConcurrencyConflict(String aggregateId, int expectedVersion) {
        super(
                409,
                "conflict",
                "Conflict",
                "'" + aggregateId + "' was changed by another request at the same time; fetch it again and retry.",
                null);
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
