package io.cloudnexus.billing.rest;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The account's usage in one period so far, per resource type and price (GET /billing/usage). */
public record UsageView(
        @JsonProperty("account_id") String accountId,
        String period,
        @JsonProperty("period_start") String periodStart,
        @JsonProperty("period_end") String periodEnd,
        @JsonProperty("as_of") String asOf,
        String currency,
        List<Item> items,
        @JsonProperty("amount_due") long amountDue) {

    /** Usage of one resource type at one price, e.g. server hours on the starter plan. */
    public record Item(
            @JsonProperty("resource_type") String resourceType,
            String sku,
            @JsonProperty("resource_count") int resourceCount,
            @JsonProperty("usage_seconds") long usageSeconds,
            BigDecimal hours,
            @JsonProperty("unit_amount") int unitAmount,
            long amount) {}
}
