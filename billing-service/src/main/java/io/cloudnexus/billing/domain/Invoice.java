package io.cloudnexus.billing.domain;

import java.util.List;

import io.cloudnexus.contracts.events.BillingInvoiceFinalized;
import io.cloudnexus.eventstore.NewEvent;
import io.cloudnexus.eventstore.StoredEvent;

/**
 * The invoice aggregate. A draft has no events yet (its figures are computed from usage); finalizing records
 * billing.invoice.finalized as version 1 of the invoice's stream, at most once: a second finalization decides
 * nothing, and two racing ones collide on {@code UNIQUE(aggregate_id, version)}.
 */
public final class Invoice {

    public static final String AGGREGATE = "invoice";

    private final boolean finalized;
    private final int version;

    private Invoice(boolean finalized, int version) {
        this.finalized = finalized;
        this.version = version;
    }

    public static Invoice replay(List<StoredEvent> events) {
        return new Invoice(
                events.stream().anyMatch(e -> e.payload() instanceof BillingInvoiceFinalized),
                events.isEmpty() ? 0 : events.get(events.size() - 1).version());
    }

    /** billing.invoice.finalized, or nothing if the invoice is already final. */
    public List<NewEvent> finalize(
            String invoiceId, String accountId, Period period, String currency, List<LineItem> items) {
        if (finalized) {
            return List.of();
        }
        return List.of(NewEvent.of(new BillingInvoiceFinalized(
                invoiceId,
                accountId,
                period.firstDay(),
                period.lastDay(),
                items.stream().mapToLong(LineItem::amount).sum(),
                BillingInvoiceFinalized.Currency.valueOf(currency),
                items.size())));
    }

    public boolean isFinalized() {
        return finalized;
    }

    public int version() {
        return version;
    }
}
