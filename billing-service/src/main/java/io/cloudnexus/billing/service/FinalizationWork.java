package io.cloudnexus.billing.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.eventstore.AppendRetry;
import io.smallrye.faulttolerance.api.ApplyGuard;

/** Finalizes one invoice in its own transaction, retried if another finalizer raced it (it is then already final). */
@ApplicationScoped
public class FinalizationWork {

    private final InvoiceService invoices;

    public FinalizationWork(InvoiceService invoices) {
        this.invoices = invoices;
    }

    @ApplyGuard(AppendRetry.POLICY)
    public boolean finalizeOne(String invoiceId) {
        return invoices.finalizeInvoice(invoiceId);
    }
}
