package io.cloudnexus.webhook.domain;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An endpoint as the API shows it. {@code secret} is present only in the responses of creation and
 * rotation; {@code previous_secret_expires_at} while a rotated-out secret is still signed with.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointView(String id, String url, String description, List<String> events, String status,
        String disabledReason, Instant failingSince, Instant previousSecretExpiresAt, Instant createdAt,
        Instant updatedAt, String secret) {

    public static EndpointView of(WebhookEndpoint e, String secret) {
        Instant previous = e.previousSecretUntil != null && e.previousSecretUntil.isAfter(Instant.now())
                ? e.previousSecretUntil : null;
        return new EndpointView(e.id, e.url, e.description, List.of(e.eventTypes), e.status, e.disabledReason,
                e.failingSince, previous, e.createdAt, e.updatedAt, secret);
    }
}
