package io.cloudnexus.webhook.domain;

import java.time.Instant;

/**
 * Filters of a delivery listing; null means "any". {@code from}/{@code to} apply to the creation time (to
 * the dead-letter time when listing dead letters); {@code before} is the cursor (row id).
 */
public record DeliveryFilter(
        String endpointId, String eventType, DeliveryStatus status, Instant from, Instant to, Long before) {}
