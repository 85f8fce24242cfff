package io.cloudnexus.webhook.domain;

import java.util.Optional;

/** A delivery's id: the {@code webhook_delivery} row id, shown to the API and receivers as {@code dlv_<id>}. */
public record DeliveryId(long value) {

    /** The prefix of the public form. */
    public static final String PREFIX = "dlv_";

    /** The public form, {@code dlv_<id>}. */
    public static String publicId(long value) {
        return PREFIX + value;
    }

    /** The id a public form names, if it is one. */
    public static Optional<DeliveryId> parse(String publicId) {
        if (publicId != null && publicId.startsWith(PREFIX)) {
            try {
                return Optional.of(new DeliveryId(Long.parseLong(publicId.substring(PREFIX.length()))));
            } catch (NumberFormatException e) {
                // not one of ours
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return publicId(value);
    }
}
