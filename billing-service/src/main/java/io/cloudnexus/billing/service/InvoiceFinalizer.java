package io.cloudnexus.billing.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.billing.domain.Period;
import io.cloudnexus.billing.repository.InvoiceEntity;
import io.cloudnexus.billing.repository.UsageRepository;
import io.cloudnexus.common.problem.DependencyOutage;
import io.cloudnexus.common.problem.ProblemException;
import io.quarkus.scheduler.Scheduled;

/**
 * Finalizes the invoices of ended periods: on schedule ({@code cloudnexus.billing.finalizer.cron}, monthly by
 * default; it also catches up on any older period left with drafts) and on an admin's request. Each invoice is
 * finalized in its own transaction; finalizing an already final invoice records nothing, so runs may repeat or
 * overlap (several replicas) and billing.invoice.finalized is still recorded once per invoice.
 */
@ApplicationScoped
public class InvoiceFinalizer {

    private static final Logger LOG = Logger.getLogger(InvoiceFinalizer.class);

    /** What a run did. */
    public record Result(Period period, List<String> finalized, List<String> alreadyFinal) {}

    private final InvoiceService invoices;
    private final UsageRepository usage;
    private final FinalizationWork work;

    public InvoiceFinalizer(InvoiceService invoices, UsageRepository usage, FinalizationWork work) {
        this.invoices = invoices;
        this.usage = usage;
        this.work = work;
    }

    /** The scheduled run: the previous month and every older period that still has drafts. */
    @Scheduled(
            cron = "${cloudnexus.billing.finalizer.cron}",
            timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void finalizeEndedPeriods() {
        Period current = Period.current();
        List<Period> periods = new ArrayList<>(invoices.endedPeriodsWithDrafts(current));
        if (!periods.contains(current.previous())) {
            periods.add(current.previous());
        }
        for (Period period : periods) {
            Result result = finalizePeriod(period, null);
            LOG.infof(
                    "Finalized %d invoices of %s (%d were already final)",
                    result.finalized().size(), period, result.alreadyFinal().size());
        }
    }

    /** Finalizes every draft of the ended {@code period} (only {@code accountId}'s if given). */
    public Result finalizePeriod(Period period, String accountId) {
        if (!period.hasEnded(Instant.now())) {
            throw ProblemException.conflict(
                    "Period " + period + " has not ended yet; invoices are finalized after " + period.lastDay() + ".");
        }
        List<String> accounts = accountId == null
                ? usage.accountsWithUsage(period)
                : usage.overlapping(accountId, period).isEmpty() ? List.of() : List.of(accountId);
        invoices.ensureDrafts(period, accounts);
        List<String> finalized = new ArrayList<>();
        for (String id : invoices.drafts(period, accountId)) {
            try {
                if (work.finalizeOne(id)) {
                    finalized.add(id);
                }
            } catch (RuntimeException e) {
                if (DependencyOutage.isCause(e)) {
                    throw e; // the database is away: the caller gets a 503 instead of a silently partial answer
                }
                LOG.warnf(e, "Invoice %s could not be finalized; the next run retries", id);
            }
        }
        String q = "status = 'finalized' and periodStart = ?1" + (accountId == null ? "" : " and accountId = ?2");
        var all = accountId == null
                ? InvoiceEntity.<InvoiceEntity>find(q, period.firstDay())
                : InvoiceEntity.<InvoiceEntity>find(q, period.firstDay(), accountId);
        List<String> alreadyFinal = all.list().stream()
                .map(i -> i.id)
                .filter(id -> !finalized.contains(id))
                .toList();
        return new Result(period, finalized, alreadyFinal);
    }
}
