package io.cloudnexus.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.cloudnexus.webhook.config.Configs;

/** The retry decisions on the default (uncompressed) schedule. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Configs.webhookConfig("cloudnexus.webhooks.retry.jitter", "0"));
    private final Instant now = Instant.parse("2025-04-15T10:32:00Z");

    private DeliveryTask task(int failures) {
        return new DeliveryTask(
                1, "evt_x", "server.created", "whk_x", new byte[0], failures, failures, 0, "engine-test");
    }

    private AttemptResult status(int code, String retryAfter) {
        return new AttemptResult(now, code, 10, null, null, retryAfter);
    }

    /** When a retry is due; fails the test when the outcome is not a retry. */
    private static Instant retryAt(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        return ((Outcome.Retry) outcome).at();
    }

    @Test
    void followsTheScheduleAndDeadLettersAfterTheEighthAttempt() {
        assertThat(policy.maxAttempts()).isEqualTo(8);
        assertThat(retryAt(policy.after(task(0), status(500, null)))).isEqualTo(now.plusSeconds(5));
        assertThat(retryAt(policy.after(task(1), status(502, null)))).isEqualTo(now.plus(Duration.ofMinutes(5)));
        assertThat(retryAt(policy.after(task(6), status(500, null)))).isEqualTo(now.plus(Duration.ofHours(10)));
        assertThat(policy.after(task(7), status(500, null)))
                .isEqualTo(new Outcome.Dead(Outcome.Dead.Reason.RETRIES_EXHAUSTED));
        assertThat(policy.after(task(7), status(204, null))).isEqualTo(new Outcome.Delivered());
        Outcome gone = policy.after(task(0), status(410, null));
        assertThat(gone).isEqualTo(new Outcome.Dead(Outcome.Dead.Reason.ENDPOINT_GONE));
        assertThat(new DeliveryUpdate(task(0), status(410, null), gone).endpointGone())
                .isTrue();
        assertThat(policy.after(task(0), AttemptResult.error(now, 5000, "timeout", "x")))
                .isInstanceOf(Outcome.Retry.class);
    }

    @Test
    void honoursRetryAfterOn429And503WithinBounds() {
        assertThat(retryAt(policy.after(task(0), status(429, "120")))).isEqualTo(now.plusSeconds(120));
        assertThat(retryAt(policy.after(task(0), status(503, "0")))).isEqualTo(now.plusSeconds(1));
        assertThat(retryAt(policy.after(task(0), status(503, "999999")))).isEqualTo(now.plus(Duration.ofHours(1)));
        assertThat(retryAt(policy.after(task(0), status(429, "Tue, 15 Apr 2025 10:35:00 GMT"))))
                .isEqualTo(now.plusSeconds(180));
        assertThat(retryAt(policy.after(task(0), status(500, "120")))).isEqualTo(now.plusSeconds(5));
        assertThat(retryAt(policy.after(task(0), status(429, "soon")))).isEqualTo(now.plusSeconds(5));
    }
}
