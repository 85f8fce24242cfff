package io.cloudnexus.billing.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.cloudnexus.billing.domain.Invoice;
import io.cloudnexus.billing.domain.LineItem;
import io.cloudnexus.billing.domain.Period;
import io.cloudnexus.billing.repository.InvoiceEntity;
import io.cloudnexus.billing.repository.InvoiceLineItemEntity;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.contracts.events.BillingInvoiceFinalized;
import io.cloudnexus.eventstore.EventStore;
import io.cloudnexus.eventstore.StoredEvent;

/**
 * Invoices: a draft per account and period (created when usage first touches the period), finalized once the
 * period has ended. Finalizing appends billing.invoice.finalized to the invoice's stream and freezes the line
 * items and totals in the read model, in ONE transaction; the outbox relay publishes the event to billing.events.
 */
@ApplicationScoped
public class InvoiceService {

    private final EventStore store;
    private final UsageCalculator calculator;
    private final PriceList prices;
    private final EntityManager em;

    public InvoiceService(EventStore store, UsageCalculator calculator, PriceList prices, EntityManager em) {
        this.store = store;
        this.calculator = calculator;
        this.prices = prices;
        this.em = em;
    }

    /** Creates the account's draft invoice for the period unless one exists (in the caller's transaction). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ensureDraft(String accountId, Period period) {
        em.createNativeQuery("INSERT INTO invoice (id, account_id, period_start, period_end, status, currency, "
                        + "created_at) VALUES (?1, ?2, ?3, ?4, 'draft', ?5, now()) ON CONFLICT (account_id, period_start) "
                        + "DO NOTHING")
                .setParameter(1, ResourceIds.newId(ResourceIds.INVOICE))
                .setParameter(2, accountId)
                .setParameter(3, period.firstDay())
                .setParameter(4, period.lastDay())
                .setParameter(5, prices.currency())
                .executeUpdate();
    }

    /** Drafts for every account with usage in the period (so a finalization run misses nobody). */
    @Transactional
    public void ensureDrafts(Period period, List<String> accounts) {
        accounts.forEach(a -> ensureDraft(a, period));
    }

    /**
     * Finalizes one invoice of an ended period: true if this call recorded billing.invoice.finalized, false if it
     * was already final. A concurrent finalization loses with {@link io.cloudnexus.eventstore.ConcurrencyConflict}.
     */
    @Transactional
    public boolean finalizeInvoice(String invoiceId) {
        InvoiceEntity invoice = InvoiceEntity.findById(invoiceId);
        Period period = new Period(java.time.YearMonth.from(invoice.periodStart));
        Invoice aggregate = Invoice.replay(store.load(invoiceId));
        List<LineItem> items = calculator.lineItems(invoice.accountId, period, Instant.now());
        List<StoredEvent> stored = store.append(
                invoice.accountId,
                Invoice.AGGREGATE,
                invoiceId,
                aggregate.version(),
                aggregate.finalize(invoiceId, invoice.accountId, period, invoice.currency, items));
        if (stored.isEmpty()) {
            return false;
        }
        for (int i = 0; i < items.size(); i++) {
            InvoiceLineItemEntity row = new InvoiceLineItemEntity();
            LineItem item = items.get(i);
            row.invoiceId = invoiceId;
            row.position = i + 1;
            row.resourceType = item.resourceType();
            row.resourceId = item.resourceId();
            row.sku = item.sku();
            row.description = item.description();
            row.usageSeconds = item.usageSeconds();
            row.unitAmount = item.unitAmount();
            row.amount = item.amount();
            row.persist();
        }
        BillingInvoiceFinalized finalized = stored.get(0).payload(BillingInvoiceFinalized.class);
        invoice.status = InvoiceEntity.FINALIZED;
        invoice.amountDue = finalized.amountDue();
        invoice.lineItemsCount = finalized.lineItemsCount();
        invoice.finalizedAt = stored.get(0).occurredAt();
        return true;
    }

    /** Draft invoices of the period (optionally of one account), to finalize. */
    public List<String> drafts(Period period, String accountId) {
        String q = "status = 'draft' and periodStart = ?1" + (accountId == null ? "" : " and accountId = ?2");
        var query = accountId == null
                ? InvoiceEntity.<InvoiceEntity>find(q, period.firstDay())
                : InvoiceEntity.<InvoiceEntity>find(q, period.firstDay(), accountId);
        return query.list().stream().map(i -> i.id).toList();
    }

    /** Periods that have ended but still have draft invoices (missed schedules catch up). */
    public List<Period> endedPeriodsWithDrafts(Period current) {
        return em
                .createQuery(
                        "select distinct i.periodStart from InvoiceEntity i where i.status = 'draft' "
                                + "and i.periodStart < ?1 order by i.periodStart",
                        java.time.LocalDate.class)
                .setParameter(1, current.firstDay())
                .getResultList()
                .stream()
                .map(d -> new Period(java.time.YearMonth.from(d)))
                .toList();
    }
}
