package io.cloudnexus.webhook.delivery;

/** Carries a failed attempt through the circuit breaker, which counts it as a failure. */
final class AttemptFailed extends RuntimeException {

    final transient AttemptResult result;

    AttemptFailed(AttemptResult result) {
        super(null, null, false, false);
        this.result = result;
    }
}
