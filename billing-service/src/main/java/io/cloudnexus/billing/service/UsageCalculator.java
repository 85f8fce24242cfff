package io.cloudnexus.billing.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.billing.domain.LineItem;
import io.cloudnexus.billing.domain.Period;
import io.cloudnexus.billing.repository.UsageRepository;
import io.cloudnexus.billing.repository.UsageSegmentEntity;

/**
 * Turns usage segments into priced line items for one account and period: each segment's time inside the period
 * (a running one counts until {@code asOf}, at most the period's end), summed per resource and price.
 */
@ApplicationScoped
public class UsageCalculator {

    private final UsageRepository usage;
    private final PriceList prices;

    public UsageCalculator(UsageRepository usage, PriceList prices) {
        this.usage = usage;
        this.prices = prices;
    }

    public List<LineItem> lineItems(String accountId, Period period, Instant asOf) {
        Instant cap = asOf.isBefore(period.end()) ? asOf : period.end();
        Map<List<String>, Long> seconds = new LinkedHashMap<>();
        for (UsageSegmentEntity s : usage.overlapping(accountId, period)) {
            Instant from = s.startedAt.isAfter(period.start()) ? s.startedAt : period.start();
            Instant to = s.endedAt == null || s.endedAt.isAfter(cap) ? cap : s.endedAt;
            long secs = Duration.between(from, to).toSeconds();
            if (secs > 0) {
                seconds.merge(List.of(s.resourceType, s.resourceId, s.sku), secs, Long::sum);
            }
        }
        List<LineItem> items = new ArrayList<>(seconds.size());
        seconds.forEach((key, secs) -> items.add(LineItem.priced(
                key.get(0), key.get(1), key.get(2), secs, prices.centsPerHour(key.get(0), key.get(2)))));
        return items;
    }
}
