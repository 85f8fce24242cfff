package io.cloudnexus.webhook.service;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.common.rest.Page;
import io.cloudnexus.common.rest.PageRequest;
import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.contracts.EventFilters;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.domain.EventDetail;
import io.cloudnexus.webhook.domain.EventFilter;
import io.cloudnexus.webhook.domain.EventFilterValidator;
import io.cloudnexus.webhook.domain.StoredEvent;
import io.cloudnexus.webhook.repository.EventQueries;

/**
 * The Events API: every event of the caller's account the platform stored (whether or not an endpoint wanted it),
 * newest first in store order, filtered by type (catalogued types and {@code prefix.*} wildcards, validated like
 * an endpoint's filters), resource and time; one event with its deliveries. Test events are not account events
 * and never shown; events older than {@code retention.age} are not shown either (404), also before the retention
 * job deleted them. Another account's event is 404.
 */
@ApplicationScoped
public class EventService {

    /** Longest accepted event id in a path or cursor. */
    private static final int MAX_ID_LENGTH = 64;

    private final EventQueries queries;
    private final WebhookConfig config;

    public EventService(EventQueries queries, WebhookConfig config) {
        this.queries = queries;
        this.config = config;
    }

    /**
     * @param types    comma-separated catalogued types and {@code prefix.*} wildcards ({@code *}: all), or null
     * @param resource an aggregate id ({@code srv_...}), or null
     */
    public Page<StoredEvent> list(
            String accountId, String types, String resource, Instant from, Instant to, PageRequest page) {
        EventFilter filter =
                new EventFilter(types(types), resource(resource), from, to, cursor(accountId, page.startingAfter()));
        return Page.of(
                sql(() -> queries.list(accountId, filter, config.retention().age(), page.fetchSize())),
                page.limit(),
                e -> e);
    }

    public EventDetail get(String accountId, String eventId) {
        StoredEvent event = eventId == null || eventId.length() > MAX_ID_LENGTH
                ? null
                : sql(() -> queries.find(accountId, eventId, config.retention().age()))
                        .orElse(null);
        if (event == null) {
            throw ProblemException.notFound("Event", eventId);
        }
        return new EventDetail(event, sql(() -> queries.deliveries(accountId, eventId)));
    }

    /**
     * The catalogued types the {@code type} parameter selects (wildcards expanded), or null for all; unknown
     * entries are a 400 on {@code type} listing the valid types.
     */
    static List<String> types(String param) {
        if (param == null || param.isBlank()) {
            return null;
        }
        List<String> entries = Arrays.stream(param.split(",", -1))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        String[] filters = EventFilterValidator.validate("type", entries);
        EventCatalog catalog = EventCatalog.load();
        LinkedHashSet<String> selected = new LinkedHashSet<>();
        for (String filter : filters) {
            if (EventFilters.ALL.equals(filter)) {
                return null;
            }
            selected.addAll(catalog.typesMatching(filter));
        }
        return new ArrayList<>(selected);
    }

    /** A resource id: a known prefix ({@code srv_ cls_ dep_ inv_ bkp_ fw_ whk_ acc_}) and 1-64 of [0-9a-z]. */
    static String resource(String param) {
        if (param == null || param.isBlank()) {
            return null;
        }
        String id = param.trim();
        if (ResourceIds.prefixOf(id).isEmpty()) {
            throw ProblemException.invalidField(
                    "resource",
                    "must be a resource id: one of the prefixes "
                            + String.join(
                                    ", ", ResourceIds.PREFIXES.stream().sorted().toList())
                            + " followed by 1 to 64 lowercase letters or digits",
                    null);
        }
        return id;
    }

    /** The store order of the cursor event; an event the account does not have is a 400 on starting_after. */
    private Long cursor(String accountId, String startingAfter) {
        if (startingAfter == null) {
            return null;
        }
        OptionalLong seq = sql(() -> queries.seqOf(accountId, startingAfter));
        if (seq.isEmpty()) {
            throw ProblemException.invalidField(
                    "starting_after", "must be the id of one of the account's events", null);
        }
        return seq.getAsLong();
    }

    private interface Sql<T> {
        T run() throws SQLException;
    }

    private static <T> T sql(Sql<T> action) {
        try {
            return action.run();
        } catch (SQLException e) {
            throw new IllegalStateException("database error", e);
        }
    }
}
