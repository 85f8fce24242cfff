package io.cloudnexus.billing.domain;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.eventstore.NewEvent;
import io.cloudnexus.eventstore.StoredEvent;

/**
 * The invoice aggregate. A draft has no events yet (its figures are computed from usage); finalizing records
 * billing.invoice.finalized as version 1 of the invoice's stream, at most once: a second finalization decides
 * nothing, and two racing ones collide on {@code UNIQUE(aggregate_id, version)}.
 */
public final class Invoice {

    public static final String AGGREGATE = "invoice";
    public static final String FINALIZED = "billing.invoice.finalized";

    private final boolean finalized;
    private final int version;

    private Invoice(boolean finalized, int version) {
        this.finalized = finalized;
        this.version = version;
    }

    public static Invoice replay(List<StoredEvent> events) {
        return new Invoice(events.stream().anyMatch(e -> FINALIZED.equals(e.type())),
                events.isEmpty() ? 0 : events.get(events.size() - 1).version());
    }

    /** billing.invoice.finalized, or nothing if the invoice is already final. */
    public List<NewEvent> finalize(String invoiceId, String accountId, Period period, String currency,
            List<LineItem> items) {
        if (finalized) {
            return List.of();
        }
        ObjectNode data = CanonicalJson.mapper().createObjectNode();
        data.put("invoice_id", invoiceId).put("account_id", accountId);
        data.put("period_start", period.firstDay().toString()).put("period_end", period.lastDay().toString());
        data.put("amount_due", items.stream().mapToLong(LineItem::amount).sum()).put("currency", currency);
        data.put("line_items_count", items.size());
        return List.of(NewEvent.of(FINALIZED, data));
    }

    public boolean isFinalized() {
        return finalized;
    }

    public int version() {
        return version;
    }
}
