package io.cloudnexus.webhook.domain;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * The state of an endpoint, stored as its text ({@link StatusText}: {@code 'active'}...) in
 * {@code webhook_endpoint.status} (JDBC reads use {@link #fromDb}, the entity uses {@link TextColumn}).
 */
public enum EndpointStatus implements StatusText {
    /** Gets new deliveries and its deliveries are attempted. */
    ACTIVE,
    /** Gets no new deliveries; the ones it has wait until it is resumed. */
    PAUSED,
    /** Disabled by a 410 or a sustained failure (its unfinished deliveries were dead-lettered). */
    DISABLED;

    /** The status stored as {@code db}. */
    public static EndpointStatus fromDb(String db) {
        return StatusText.fromDb(EndpointStatus.class, db);
    }

    /** What the API can do to an endpoint's status: from one status to another. */
    public enum Transition {
        PAUSE(ACTIVE, PAUSED),
        RESUME(PAUSED, ACTIVE),
        ENABLE(DISABLED, ACTIVE);

        public final EndpointStatus from;
        public final EndpointStatus to;

        Transition(EndpointStatus from, EndpointStatus to) {
            this.from = from;
            this.to = to;
        }

        /** The verb, as in "Cannot pause an endpoint that is disabled." */
        public String verb() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Maps the entity's field to the column's text value. */
    @Converter
    public static class TextColumn implements AttributeConverter<EndpointStatus, String> {
        @Override
        public String convertToDatabaseColumn(EndpointStatus status) {
            return status == null ? null : status.db();
        }

        @Override
        public EndpointStatus convertToEntityAttribute(String db) {
            return db == null ? null : fromDb(db);
        }
    }
}
