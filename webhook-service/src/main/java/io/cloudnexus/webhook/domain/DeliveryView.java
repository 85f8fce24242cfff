package io.cloudnexus.webhook.domain;

import java.time.Instant;

/**
 * A delivery as the API shows it: what a dashboard row needs (event, status, last response code, latency,
 * when). Serialised in snake_case.
 */
public record DeliveryView(
        String id,
        String endpointId,
        String eventId,
        String eventType,
        DeliveryStatus status,
        boolean test,
        int attempts,
        Integer lastStatusCode,
        Integer lastLatencyMs,
        String lastError,
        Instant nextAttemptAt,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt) {}
