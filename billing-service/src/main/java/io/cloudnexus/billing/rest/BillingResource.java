package io.cloudnexus.billing.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.billing.domain.LineItem;
import io.cloudnexus.billing.domain.Period;
import io.cloudnexus.billing.repository.InvoiceEntity;
import io.cloudnexus.billing.repository.InvoiceLineItemEntity;
import io.cloudnexus.billing.service.InvoiceFinalizer;
import io.cloudnexus.billing.service.PriceList;
import io.cloudnexus.billing.service.UsageCalculator;
import io.cloudnexus.common.identity.CallerIdentity;
import io.cloudnexus.common.identity.IdentityClaims;
import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.common.rest.Page;
import io.cloudnexus.common.rest.PageRequest;
import io.cloudnexus.contracts.ResourceIds;

/** Usage and invoices of the caller's account (served as /v2/billing/... through the gateway). */
@Path("/billing")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing")
public class BillingResource {

    /** Answer of POST /billing/invoices/finalize. */
    public record FinalizeResult(
            String period,
            List<String> finalized,
            @JsonProperty("already_finalized") List<String> alreadyFinalized) {}

    private final CallerIdentity caller;
    private final UsageCalculator calculator;
    private final PriceList prices;
    private final InvoiceFinalizer finalizer;

    public BillingResource(
            CallerIdentity caller, UsageCalculator calculator, PriceList prices, InvoiceFinalizer finalizer) {
        this.caller = caller;
        this.calculator = calculator;
        this.prices = prices;
        this.finalizer = finalizer;
    }

    @GET
    @Path("usage")
    @Operation(
            summary = "Usage of a period so far",
            description = "Server hours per plan and node hours per node "
                    + "size, priced with the price list (cents). period=YYYY-MM, default the current month (UTC).")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public UsageView usage(@QueryParam("period") String period) {
        Period p = Period.parse("period", period, Period.current());
        Instant now = Instant.now();
        Map<List<String>, List<LineItem>> groups = new LinkedHashMap<>();
        calculator
                .lineItems(caller.accountId(), p, now)
                .forEach(i -> groups.computeIfAbsent(List.of(i.resourceType(), i.sku()), k -> new ArrayList<>())
                        .add(i));
        List<UsageView.Item> items = new ArrayList<>();
        groups.forEach((key, lines) -> {
            long seconds = lines.stream().mapToLong(LineItem::usageSeconds).sum();
            items.add(new UsageView.Item(
                    key.get(0),
                    key.get(1),
                    lines.size(),
                    seconds,
                    LineItem.hours(seconds),
                    lines.get(0).unitAmount(),
                    lines.stream().mapToLong(LineItem::amount).sum()));
        });
        Instant asOf = now.isBefore(p.end()) ? now : p.end();
        return new UsageView(
                caller.accountId(),
                p.toString(),
                p.firstDay().toString(),
                p.lastDay().toString(),
                InvoiceView.time(asOf),
                prices.currency(),
                items,
                items.stream().mapToLong(UsageView.Item::amount).sum());
    }

    @GET
    @Path("invoices")
    @Operation(
            summary = "Invoices, newest period first",
            description =
                    "Drafts show their figures as of now. "
                            + "Cursor pagination: limit 1-100 (default 20), starting_after=<id of the last invoice of the page>.")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public Page<InvoiceView> invoices(@QueryParam("limit") String limit, @QueryParam("starting_after") String after) {
        PageRequest page = PageRequest.of(limit, after, ResourceIds.INVOICE);
        List<InvoiceEntity> rows;
        if (page.startingAfter() == null) {
            rows = InvoiceEntity.<InvoiceEntity>find(
                            "accountId = ?1 order by periodStart desc, id desc", caller.accountId())
                    .page(0, page.fetchSize())
                    .list();
        } else {
            InvoiceEntity cursor = find(page.startingAfter());
            if (cursor == null) {
                throw ProblemException.invalidField("starting_after", "no invoice with this id", null);
            }
            rows = InvoiceEntity.<InvoiceEntity>find(
                            "accountId = ?1 and (periodStart < ?2 or (periodStart = ?2 "
                                    + "and id < ?3)) order by periodStart desc, id desc",
                            caller.accountId(),
                            cursor.periodStart,
                            cursor.id)
                    .page(0, page.fetchSize())
                    .list();
        }
        return Page.of(rows, page.limit(), i -> InvoiceView.of(i, lineItems(i), false));
    }

    @GET
    @Path("invoices/{id}")
    @Operation(summary = "One invoice with its line items")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public InvoiceView invoice(@PathParam("id") String id) {
        InvoiceEntity invoice = find(id);
        if (invoice == null) {
            throw ProblemException.notFound("Invoice", id);
        }
        return InvoiceView.of(invoice, lineItems(invoice), true);
    }

    @POST
    @Path("invoices/finalize")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Finalize the invoices of an ended period",
            description = "Records "
                    + "billing.invoice.finalized once per invoice; repeating it finalizes nothing new. Body (optional): "
                    + "{\"period\":\"YYYY-MM\" (default: the previous month), \"account_id\":\"acc_...\"}. An account's "
                    + "'admin' credential finalizes its own account's drafts only (another account_id is a 403); the "
                    + "platform operator (through the gateway's admin API) finalizes every account's, or account_id's.")
    @RolesAllowed({IdentityClaims.SCOPE_ADMIN, IdentityClaims.OPERATOR})
    public FinalizeResult finalizeInvoices(FinalizeRequest body) {
        String requested = body == null ? null : body.accountId();
        if (requested != null && !ResourceIds.isValid(ResourceIds.ACCOUNT, requested)) {
            throw ProblemException.invalidField("account_id", "must be an account id (acc_...)", null);
        }
        String account;
        if (caller.isOperator()) {
            account = requested;
        } else {
            account = caller.accountId(); // a 403 for any other token naming the operator
            if (requested != null && !requested.equals(account)) {
                throw ProblemException.forbidden("An account's credential finalizes only its own invoices; "
                        + "account_id must be omitted or '" + account + "'.");
            }
        }
        Period period = Period.parse(
                "period", body == null ? null : body.period(), Period.current().previous());
        InvoiceFinalizer.Result result = finalizer.finalizePeriod(period, account);
        return new FinalizeResult(period.toString(), result.finalized(), result.alreadyFinal());
    }

    private InvoiceEntity find(String id) {
        return InvoiceEntity.<InvoiceEntity>find("id = ?1 and accountId = ?2", id, caller.accountId())
                .firstResult();
    }

    private List<LineItemView> lineItems(InvoiceEntity invoice) {
        if (InvoiceEntity.FINALIZED.equals(invoice.status)) {
            return InvoiceLineItemEntity.<InvoiceLineItemEntity>find("invoiceId = ?1 order by position", invoice.id)
                    .list()
                    .stream()
                    .map(LineItemView::of)
                    .toList();
        }
        Period period = new Period(java.time.YearMonth.from(invoice.periodStart));
        return calculator.lineItems(invoice.accountId, period, Instant.now()).stream()
                .map(LineItemView::of)
                .toList();
    }
}
