package io.cloudnexus.webhook.delivery;

import java.time.Instant;

/**
 * The new state of a delivery after an attempt (or after it was deferred without an attempt), as the
 * {@link ResultWriter} persists it in batches.
 *
 * @param result       the attempt, or null when the delivery was deferred (open circuit, endpoint not active)
 * @param status       pending, retrying, delivered or dead
 * @param nextAttemptAt when it is due again (pending / retrying), else null
 * @param gone         the endpoint answered 410: disable it
 */
public record Outcome(DeliveryTask task, AttemptResult result, String status, Instant nextAttemptAt, boolean gone) {
}
