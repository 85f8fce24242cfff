package io.cloudnexus.gateway.domain;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An account's tier; it sets the default rate limit. */
public enum Tier {
    STARTER,
    PROFESSIONAL,
    ENTERPRISE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Tier fromWire(String value) {
        for (Tier tier : values()) {
            if (tier.wireName().equals(value)) {
                return tier;
            }
        }
        throw new IllegalArgumentException("tier must be one of starter, professional, enterprise");
    }
}
