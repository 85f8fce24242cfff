package io.cloudnexus.billing.rest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.billing.repository.InvoiceEntity;

/**
 * An invoice. A draft shows its figures as of now (they grow until the period ends); a finalized invoice shows
 * its frozen ones. {@code line_items} is present on GET /billing/invoices/{id} only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvoiceView(
        String id,
        @JsonProperty("account_id") String accountId,
        String status,
        @JsonProperty("period_start") String periodStart,
        @JsonProperty("period_end") String periodEnd,
        String currency,
        @JsonProperty("amount_due") long amountDue,
        @JsonProperty("line_items_count") int lineItemsCount,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("finalized_at") String finalizedAt,
        @JsonProperty("line_items") List<LineItemView> lineItems) {

    static InvoiceView of(InvoiceEntity i, List<LineItemView> items, boolean withItems) {
        return new InvoiceView(
                i.id,
                i.accountId,
                i.status,
                i.periodStart.toString(),
                i.periodEnd.toString(),
                i.currency,
                items.stream().mapToLong(LineItemView::amount).sum(),
                items.size(),
                time(i.createdAt),
                time(i.finalizedAt),
                withItems ? items : null);
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
