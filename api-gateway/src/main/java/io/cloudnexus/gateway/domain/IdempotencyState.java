package io.cloudnexus.gateway.domain;

import java.util.Locale;

/**
 * Where the first request of an Idempotency-Key stands (column {@code idempotency_record.state}).
 * <ul>
 * <li>{@link #IN_FLIGHT}: it is running; retries are 409 "in progress".</li>
 * <li>{@link #UNKNOWN}: it reached the service but no answer came back in time (504, connection lost): it may
 * or may not have taken effect. Retries are 409 "outcome unknown" until the service's late answer is
 * stored, or, if none comes, until the record expires. Never released early: a released key would let a
 * retry create a second resource.</li>
 * <li>{@link #COMPLETED}: the answer is stored and replayed.</li>
 * </ul>
 * A first request that provably never reached the service (connection refused, refused by the gateway,
 * or the service answered 503) frees its key instead.
 */
public enum IdempotencyState {
    IN_FLIGHT,
    UNKNOWN,
    COMPLETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static IdempotencyState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
