package io.cloudnexus.webhook.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The state of a delivery, stored as its text value in {@code webhook_delivery.status} (the column's CHECK and
 * the partial indexes name the same values). This enum is the one place text and state are mapped.
 */
public enum DeliveryStatus {
    /** Not attempted yet (or restarted by a redelivery or replay), due at {@code next_attempt_at}. */
    PENDING("pending"),
    /** Attempted and failed, due again at {@code next_attempt_at}. */
    RETRYING("retrying"),
    /** A 2xx was received. */
    DELIVERED("delivered"),
    /** In the endpoint's dead-letter queue. */
    DEAD("dead");

    private final String db;

    DeliveryStatus(String db) {
        this.db = db;
    }

    /** The stored (and public) text value. */
    @JsonValue
    public String db() {
        return db;
    }

    /**
     * The value as a SQL literal, for statement constants: a partial index ({@code ... WHERE status IN
     * ('pending', 'retrying')}) is only used when the statement names its values literally, not as parameters.
     */
    public String sql() {
        return "'" + db + "'";
    }

    /** Delivered or dead: nothing more is attempted (unless redelivered or replayed). */
    public boolean finished() {
        return this == DELIVERED || this == DEAD;
    }

    /** The state of a delivery that is due again without a new attempt recorded: pending before its first one. */
    public static DeliveryStatus waiting(int attempts) {
        return attempts == 0 ? PENDING : RETRYING;
    }

    /** A parenthesised SQL list of the values, e.g. {@code ('pending', 'retrying')}. */
    public static String sqlList(DeliveryStatus... statuses) {
        return Arrays.stream(statuses).map(DeliveryStatus::sql).collect(Collectors.joining(", ", "(", ")"));
    }

    /** The status stored as {@code db}; an unknown value is a broken row. */
    public static DeliveryStatus fromDb(String db) {
        return parse(db).orElseThrow(() -> new IllegalArgumentException("unknown delivery status: " + db));
    }

    /** The status named {@code value} (as the API and the database spell it), if any. */
    public static Optional<DeliveryStatus> parse(String value) {
        for (DeliveryStatus s : values()) {
            if (s.db.equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The text values, sorted (for error messages listing the valid ones). */
    public static List<String> dbValues() {
        return Arrays.stream(values()).map(DeliveryStatus::db).sorted().toList();
    }
}
