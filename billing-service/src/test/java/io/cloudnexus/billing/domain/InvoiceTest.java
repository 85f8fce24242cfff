package io.cloudnexus.billing.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cloudnexus.contracts.events.BillingInvoiceFinalized;
import io.cloudnexus.eventstore.NewEvent;
import io.cloudnexus.eventstore.StoredEvent;
import io.cloudnexus.testsupport.GivenWhenThen;

/** The invoice aggregate's decisions: finalized once, with the line items' total. */
class InvoiceTest {

    private static final String ID = "inv_test1";
    private static final String ACCOUNT = "acc_test1";
    private static final Period MARCH = new Period(YearMonth.of(2025, 3));
    private static final GivenWhenThen<Invoice, NewEvent> INVOICE = GivenWhenThen.of(
            history -> Invoice.replay(StoredEvent.history(ACCOUNT, Invoice.AGGREGATE, ID, Instant.EPOCH, history)),
            NewEvent::payload);

    private static final List<LineItem> ITEMS = List.of(
            new LineItem("server", "srv_a", "professional", 3600, 10_000, 10_000),
            new LineItem("node", "cls_b/workers-1-x", "s-2vcpu-4gb", 1800, 5_900, 2_950));

    @Test
    void aDraftIsFinalizedWithTheTotalOfItsLineItems() {
        INVOICE.given()
                .when(i -> i.finalize(ID, ACCOUNT, MARCH, "USD", ITEMS))
                .then(new BillingInvoiceFinalized(
                        ID,
                        ACCOUNT,
                        LocalDate.of(2025, 3, 1),
                        LocalDate.of(2025, 3, 31),
                        12_950,
                        BillingInvoiceFinalized.Currency.USD,
                        2));
        INVOICE.given()
                .when(i -> i.finalize(ID, ACCOUNT, MARCH, "USD", List.of()))
                .then(new BillingInvoiceFinalized(
                        ID,
                        ACCOUNT,
                        LocalDate.of(2025, 3, 1),
                        LocalDate.of(2025, 3, 31),
                        0,
                        BillingInvoiceFinalized.Currency.USD,
                        0));
    }

    @Test
    void aFinalInvoiceIsNotFinalizedAgain() {
        INVOICE.given(new BillingInvoiceFinalized(
                        ID,
                        ACCOUNT,
                        LocalDate.of(2025, 3, 1),
                        LocalDate.of(2025, 3, 31),
                        12_950,
                        BillingInvoiceFinalized.Currency.USD,
                        2))
                .when(i -> i.finalize(ID, ACCOUNT, MARCH, "USD", ITEMS))
                .thenNothing();
    }
}
