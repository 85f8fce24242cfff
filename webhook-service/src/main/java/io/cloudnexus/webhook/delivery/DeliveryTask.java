package io.cloudnexus.webhook.delivery;

import io.cloudnexus.webhook.domain.DeliveryId;

/**
 * One delivery held in memory: the row id, the event, the endpoint and the exact envelope bytes (shared
 * by every delivery of the same event).
 *
 * @param attempts attempts made so far (the next one is {@code attempts + 1})
 * @param failures failed attempts since the schedule last (re)started
 * @param owner    the lease owner (replica) that holds it: its outcome is written only while that replica
 *                 still owns the row
 */
public record DeliveryTask(
        long id,
        String eventId,
        String eventType,
        String endpointId,
        byte[] body,
        int attempts,
        int failures,
        long enqueuedNanos,
        String owner) {

    /** The public id of the delivery ({@code dlv_...}). */
    public String publicId() {
        return DeliveryId.publicId(id);
    }
}
