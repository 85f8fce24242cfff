package io.cloudnexus.webhook.domain;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An endpoint as the API shows it; {@code rate_limit} is the requests per second it gets across all replicas
 * (its own, or the configured default). {@code secret} is present only in the responses of creation and
 * rotation; {@code previous_secret_expires_at} while a rotated-out secret is still signed with.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointView(
        String id,
        String url,
        String description,
        List<String> events,
        EndpointStatus status,
        Integer rateLimit,
        String disabledReason,
        Instant failingSince,
        Instant previousSecretExpiresAt,
        Instant createdAt,
        Instant updatedAt,
        String secret) {

    /** @param defaultRateLimit shown as {@code rate_limit} when the endpoint sets none */
    public static EndpointView of(WebhookEndpoint e, String secret, int defaultRateLimit) {
        Instant previous = e.previousSecretUntil != null && e.previousSecretUntil.isAfter(Instant.now())
                ? e.previousSecretUntil
                : null;
        return new EndpointView(
                e.id,
                e.url,
                e.description,
                List.of(e.eventTypes),
                e.status,
                e.rateLimit != null ? e.rateLimit : defaultRateLimit,
                e.disabledReason,
                e.failingSince,
                previous,
                e.createdAt,
                e.updatedAt,
                secret);
    }
}
