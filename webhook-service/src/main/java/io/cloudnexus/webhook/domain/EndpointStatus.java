package io.cloudnexus.webhook.domain;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * The state of an endpoint, stored as its text ({@link StatusText}: {@code 'active'}...) in
 * {@code webhook_endpoint.status} (JDBC reads use {@link #fromDb}, the entity uses {@link TextColumn}).
 */
public enum EndpointStatus implements StatusText {
    /** Gets new deliveries and its deliveries are attempted. */
    ACTIVE,
    /**
     * Gets new deliveries, but they (and the ones it had) are held in PostgreSQL, never attempted, until it is
     * resumed; the failure window does not count the time paused.
     */
    PAUSED,
    /**
     * Disabled by a 410 or a sustained failure (its unfinished deliveries were dead-lettered): gets no deliveries;
     * after enabling it, {@code POST /webhooks/{id}/recover} queues what it missed.
     */
    DISABLED;

    /** The status stored as {@code db}. */
    public static EndpointStatus fromDb(String db) {
        return StatusText.fromDb(EndpointStatus.class, db);
    }

    /** What the API can do to an endpoint's status: from one status to another. */
    public enum Transition {
        PAUSE(ACTIVE, PAUSED),
        RESUME(PAUSED, ACTIVE),
        ENABLE(DISABLED, ACTIVE),
        /** By the customer: nothing is queued for it until enabled again (recover gets what it missed). */
        DISABLE(ACTIVE, DISABLED, PAUSED);

        public final Set<EndpointStatus> from;
        public final EndpointStatus to;

        Transition(EndpointStatus from, EndpointStatus to, EndpointStatus... alsoFrom) {
            EnumSet<EndpointStatus> all = EnumSet.of(from, alsoFrom);
            this.from = Collections.unmodifiableSet(all);
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
