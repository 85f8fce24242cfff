package io.cloudnexus.gateway.domain;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link Tier} as its lower-case wire name. */
@Converter
public class TierConverter implements AttributeConverter<Tier, String> {

    @Override
    public String convertToDatabaseColumn(Tier tier) {
        return tier == null ? null : tier.wireName();
    }

    @Override
    public Tier convertToEntityAttribute(String value) {
        return value == null ? null : Tier.fromWire(value);
    }
}
