package io.cloudnexus.webhook.stream;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.contracts.EventFilters;

/**
 * The event types a stream wants: {@code types=server.*,billing.invoice.finalized} (catalogued types,
 * {@code prefix.*} wildcards or {@code *}); absent means every type. Delivery frames follow the same filter (by
 * the type of the delivered event).
 */
public record StreamFilter(List<String> filters) {

    private static final int MAX_FILTERS = 50;

    public static StreamFilter parse(String types) {
        if (types == null || types.isBlank()) {
            return new StreamFilter(List.of(EventFilters.ALL));
        }
        List<String> given = Arrays.stream(types.split(",")).map(String::trim).toList();
        if (given.size() > MAX_FILTERS) {
            throw ProblemException.invalidField("types", "must list at most " + MAX_FILTERS + " entries", null);
        }
        EventCatalog catalog = EventCatalog.load();
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String filter : given) {
            if (filter.isEmpty() || !catalog.isValidFilter(filter)) {
                throw ProblemException.invalidField(
                        "types", "unknown event type or wildcard '" + shorten(filter) + "'", catalog.types());
            }
            unique.add(filter);
        }
        return new StreamFilter(List.copyOf(unique));
    }

    public boolean wants(String type) {
        for (String filter : filters) {
            if (EventFilters.matches(filter, type)) {
                return true;
            }
        }
        return false;
    }

    private static String shorten(String filter) {
        String safe = filter.replaceAll("[^A-Za-z0-9._*-]", "?");
        return safe.length() > 64 ? safe.substring(0, 64) + "..." : safe;
    }
}
