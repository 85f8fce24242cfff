package io.cloudnexus.webhook.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.config.WebhookConfig;

/**
 * Decides what follows an attempt: delivered on 2xx; dead (and the endpoint disabled) on 410; otherwise the
 * next delay of the schedule with jitter, or the {@code Retry-After} of a 429/503 clamped to its bounds;
 * dead-lettered after the last scheduled attempt.
 */
@ApplicationScoped
public class RetryPolicy {

    private final List<Duration> schedule;
    private final double jitter;
    private final Duration retryAfterMin;
    private final Duration retryAfterMax;

    public RetryPolicy(WebhookConfig config) {
        this.schedule = List.copyOf(config.retry().schedule());
        this.jitter = config.retry().jitter();
        this.retryAfterMin = config.retry().retryAfterMin();
        this.retryAfterMax = config.retry().retryAfterMax();
    }

    /** Attempts a delivery gets before it is dead-lettered. */
    public int maxAttempts() {
        return schedule.size();
    }

    /** What follows the attempt {@code result} of {@code task}. */
    public Outcome after(DeliveryTask task, AttemptResult result) {
        if (result.success()) {
            return new Outcome.Delivered();
        }
        if (result.statusCode() == 410) {
            return new Outcome.Dead(Outcome.Dead.Reason.ENDPOINT_GONE);
        }
        int failures = task.failures() + 1;
        if (failures >= schedule.size()) {
            return new Outcome.Dead(Outcome.Dead.Reason.RETRIES_EXHAUSTED);
        }
        Duration delay = jittered(schedule.get(failures));
        if (result.statusCode() == 429 || result.statusCode() == 503) {
            Duration asked = parseRetryAfter(result.retryAfter(), result.at());
            if (asked != null) {
                delay = clamp(asked);
            }
        }
        return new Outcome.Retry(result.at().plus(delay));
    }

    private Duration jittered(Duration base) {
        if (jitter <= 0 || base.isZero()) {
            return base;
        }
        double factor = 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
        return Duration.ofNanos((long) (base.toNanos() * factor));
    }

    private Duration clamp(Duration asked) {
        if (asked.compareTo(retryAfterMin) < 0) {
            return retryAfterMin;
        }
        return asked.compareTo(retryAfterMax) > 0 ? retryAfterMax : asked;
    }

    /** Seconds or an HTTP date; null when absent or unreadable. */
    static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }
}
