package io.cloudnexus.webhook.domain;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A status enum kept as text in the database and shown as text by the API. The one mapping: the text is the
 * constant's name in lower case ({@code PENDING} is {@code 'pending'}), so a constant must never be renamed
 * without a migration of the rows and of the CHECK constraints and partial indexes that name the values.
 */
public interface StatusText {

    String name();

    /** The stored (and public) text value. */
    @JsonValue
    default String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The value as a SQL literal, for statement constants: a partial index ({@code ... WHERE status IN
     * ('pending', 'retrying')}) is only used when the statement names its values literally, not as parameters.
     */
    default String sql() {
        return "'" + db() + "'";
    }

    /** The constant of {@code type} whose text is {@code value}, if any. */
    static <E extends Enum<E> & StatusText> Optional<E> parse(Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.db().equals(value)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The constant stored as {@code value}; an unknown value is a broken row. */
    static <E extends Enum<E> & StatusText> E fromDb(Class<E> type, String value) {
        return parse(type, value)
                .orElseThrow(() -> new IllegalArgumentException("unknown " + type.getSimpleName() + ": " + value));
    }
}
