package io.cloudnexus.webhook.domain;

import java.util.LinkedHashSet;
import java.util.List;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.contracts.EventCatalog;

/** Checks a subscription's {@code events}: catalogued types, {@code prefix.*} wildcards that match some type, or {@code *}. */
public final class EventFilterValidator {

    private EventFilterValidator() {}

    /** A subscription's {@code events}; a problem names the field {@code events}. */
    public static String[] validate(List<String> events) {
        return validate("events", events);
    }

    /** The same check for any field that takes filters (e.g. the Events API's {@code type}); problems name it. */
    public static String[] validate(String field, List<String> events) {
        if (events == null || events.isEmpty()) {
            throw ProblemException.invalidField(field, "must list at least one event type, wildcard or '*'", null);
        }
        if (events.size() > 100) {
            throw ProblemException.invalidField(field, "must list at most 100 entries", null);
        }
        EventCatalog catalog = EventCatalog.load();
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String filter : events) {
            if (filter == null || !catalog.isValidFilter(filter)) {
                throw ProblemException.invalidField(
                        field, "unknown event type or wildcard '" + filter + "'", catalog.types());
            }
            unique.add(filter);
        }
        return unique.toArray(String[]::new);
    }
}
