package io.cloudnexus.webhook.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The state of a delivery, stored as its text ({@link StatusText}: {@code 'pending'}...) in
 * {@code webhook_delivery.status}, whose CHECK constraint and partial indexes name the same values.
 */
public enum DeliveryStatus implements StatusText {
    /** Not attempted yet (or restarted by a redelivery or replay), due at {@code next_attempt_at}. */
    PENDING,
    /** Attempted and failed, due again at {@code next_attempt_at}. */
    RETRYING,
    /** A 2xx was received. */
    DELIVERED,
    /** In the endpoint's dead-letter queue. */
    DEAD;

    /** The state of a delivery due again without a new attempt recorded: pending before its first one. */
    public static DeliveryStatus waiting(int attempts) {
        return attempts == 0 ? PENDING : RETRYING;
    }

    /** A parenthesised SQL list of the values, e.g. {@code ('pending', 'retrying')}. */
    public static String sqlList(DeliveryStatus... statuses) {
        return Arrays.stream(statuses).map(DeliveryStatus::sql).collect(Collectors.joining(", ", "(", ")"));
    }

    /** The status stored as {@code db}. */
    public static DeliveryStatus fromDb(String db) {
        return StatusText.fromDb(DeliveryStatus.class, db);
    }

    /** The status named {@code value} (as the API and the database spell it), if any. */
    public static Optional<DeliveryStatus> parse(String value) {
        return StatusText.parse(DeliveryStatus.class, value);
    }

    /** The text values, sorted (for error messages listing the valid ones). */
    public static List<String> dbValues() {
        return Arrays.stream(values()).map(DeliveryStatus::db).sorted().toList();
    }
}
