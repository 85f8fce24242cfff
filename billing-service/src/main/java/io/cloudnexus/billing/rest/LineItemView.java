package io.cloudnexus.billing.rest;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.billing.domain.LineItem;
import io.cloudnexus.billing.repository.InvoiceLineItemEntity;

/** One line of an invoice: a resource's running time at one price; amounts in cents. */
public record LineItemView(
        @JsonProperty("resource_type") String resourceType,
        @JsonProperty("resource_id") String resourceId,
        String sku,
        String description,
        @JsonProperty("usage_seconds") long usageSeconds,
        BigDecimal hours,
        @JsonProperty("unit_amount") int unitAmount,
        long amount) {

    static LineItemView of(LineItem i) {
        return new LineItemView(
                i.resourceType(),
                i.resourceId(),
                i.sku(),
                i.description(),
                i.usageSeconds(),
                i.hours(),
                i.unitAmount(),
                i.amount());
    }

    static LineItemView of(InvoiceLineItemEntity i) {
        return new LineItemView(
                i.resourceType,
                i.resourceId,
                i.sku,
                i.description,
                i.usageSeconds,
                LineItem.hours(i.usageSeconds),
                i.unitAmount,
                i.amount);
    }
}
