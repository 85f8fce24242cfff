package io.cloudnexus.webhook.delivery;

import java.time.Instant;

import io.cloudnexus.webhook.domain.DeliveryStatus;

/**
 * One delivery's attempt and outcome, as the {@link ResultWriter} records them in batches: the attempt row (if
 * one was made) and the delivery's new state.
 *
 * @param attempt what the attempt produced; null exactly when the outcome is {@link Outcome.Deferred} (nothing sent)
 */
public record DeliveryUpdate(DeliveryTask task, AttemptResult attempt, Outcome outcome) {

    public DeliveryUpdate {
        if ((attempt == null) != (outcome instanceof Outcome.Deferred)) {
            throw new IllegalArgumentException("an attempt result goes with every outcome but Deferred: " + outcome);
        }
    }

    /** The delivery is not attempted now; it is due again {@code at} (no attempt is spent). */
    public static DeliveryUpdate deferred(DeliveryTask task, Instant at) {
        return new DeliveryUpdate(task, null, new Outcome.Deferred(at));
    }

    /** The delivery's status after this update. */
    public DeliveryStatus status() {
        if (outcome instanceof Outcome.Delivered) {
            return DeliveryStatus.DELIVERED;
        }
        if (outcome instanceof Outcome.Dead) {
            return DeliveryStatus.DEAD;
        }
        if (outcome instanceof Outcome.Retry) {
            return DeliveryStatus.RETRYING;
        }
        return DeliveryStatus.waiting(task.attempts()); // Deferred: as it was
    }

    /** When the delivery is due again; null once it is finished. */
    public Instant nextAttemptAt() {
        if (outcome instanceof Outcome.Retry retry) {
            return retry.at();
        }
        if (outcome instanceof Outcome.Deferred deferred) {
            return deferred.at();
        }
        return null;
    }

    /** The endpoint answered 410 Gone: the writer disables it. */
    public boolean endpointGone() {
        return outcome instanceof Outcome.Dead dead && dead.reason() == Outcome.Dead.Reason.ENDPOINT_GONE;
    }
}
