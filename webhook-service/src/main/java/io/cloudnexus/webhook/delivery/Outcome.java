package io.cloudnexus.webhook.delivery;

import java.time.Instant;

/**
 * What follows an attempt, or a delivery that was not attempted: {@link Delivered}, {@link Retry} at a time,
 * {@link Dead} (dead-lettered) for a reason, or {@link Deferred} to a time without an attempt. Decided by
 * {@link RetryPolicy} (or by the {@link Dispatcher} when nothing was sent), recorded by the {@link ResultWriter}
 * as a {@link DeliveryUpdate}.
 */
public sealed interface Outcome permits Outcome.Delivered, Outcome.Retry, Outcome.Dead, Outcome.Deferred {

    /** A 2xx: the delivery is finished. */
    record Delivered() implements Outcome {}

    /** A failed attempt with attempts left: due again {@code at}. */
    record Retry(Instant at) implements Outcome {}

    /** Moved to the endpoint's dead-letter queue. */
    record Dead(Reason reason) implements Outcome {

        public enum Reason {
            /** The last attempt of the schedule failed. */
            RETRIES_EXHAUSTED,
            /** The endpoint answered 410 Gone: it is disabled too. */
            ENDPOINT_GONE
        }
    }

    /** Not attempted (open circuit, endpoint not active, replica fenced): due again {@code at}, no attempt spent. */
    record Deferred(Instant at) implements Outcome {}
}
