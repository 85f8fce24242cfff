package io.cloudnexus.webhook.domain;

import java.util.LinkedHashSet;
import java.util.List;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.contracts.EventCatalog;

/** Checks a subscription's {@code events}: catalogued types, {@code prefix.*} wildcards that match some type, or {@code *}. */
public final class EventFilterValidator {

    private EventFilterValidator() {}

    public static String[] validate(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw ProblemException.invalidField("events", "must list at least one event type, wildcard or '*'", null);
        }
        if (events.size() > 100) {
            throw ProblemException.invalidField("events", "must list at most 100 entries", null);
        }
        EventCatalog catalog = EventCatalog.load();
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String filter : events) {
            if (filter == null || !catalog.isValidFilter(filter)) {
                throw ProblemException.invalidField(
                        "events", "unknown event type or wildcard '" + filter + "'", catalog.types());
            }
            unique.add(filter);
        }
        return unique.toArray(String[]::new);
    }
}
