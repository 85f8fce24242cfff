package io.cloudnexus.webhook.domain;

import java.time.Instant;

/**
 * One endpoint's delivery of an event, as {@code GET /events/{id}} shows it: which endpoint, the delivery
 * ({@code dlv_...}), its status, attempts so far, the last response's status code and when the last attempt was
 * made (null before the first). Serialised in snake_case.
 */
public record EventDeliveryView(
        String endpointId,
        String deliveryId,
        DeliveryStatus status,
        int attempts,
        Integer lastStatusCode,
        Instant lastAttemptAt) {}
