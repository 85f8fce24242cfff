package io.cloudnexus.webhook.service;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.common.rest.Page;
import io.cloudnexus.common.rest.PageRequest;
import io.cloudnexus.contracts.EventCatalog;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.EventFilters;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.DeliveryTask;
import io.cloudnexus.webhook.delivery.Dispatcher;
import io.cloudnexus.webhook.delivery.EngineIdentity;
import io.cloudnexus.webhook.domain.AttemptView;
import io.cloudnexus.webhook.domain.DeliveryFilter;
import io.cloudnexus.webhook.domain.DeliveryId;
import io.cloudnexus.webhook.domain.DeliveryStatus;
import io.cloudnexus.webhook.domain.DeliveryView;
import io.cloudnexus.webhook.domain.WebhookEndpoint;
import io.cloudnexus.webhook.repository.DeliveryQueries;
import io.cloudnexus.webhook.repository.DeliveryRepository;
import io.cloudnexus.webhook.repository.IngestRepository;

/**
 * Deliveries for the API: listings with filters, attempts, redelivery, test sends and the dead-letter
 * operations. A redelivery, a single replay and a test send are persisted (leased to this replica, if its lane
 * has room) and then sent at once from memory, like a consumed event; a bulk replay only marks the dead letters
 * due, in batches, and the scheduler claims them.
 */
@ApplicationScoped
public class DeliveryService {

    private final DeliveryQueries queries;
    private final DeliveryRepository deliveries;
    private final IngestRepository ingest;
    private final Dispatcher dispatcher;
    private final EngineIdentity identity;
    private final EndpointService endpoints;
    private final WebhookConfig config;
    private final IngestRepository.Sink sink;

    public DeliveryService(
            DeliveryQueries queries,
            DeliveryRepository deliveries,
            IngestRepository ingest,
            Dispatcher dispatcher,
            EngineIdentity identity,
            EndpointService endpoints,
            WebhookConfig config) {
        this.queries = queries;
        this.deliveries = deliveries;
        this.ingest = ingest;
        this.dispatcher = dispatcher;
        this.identity = identity;
        this.endpoints = endpoints;
        this.config = config;
        this.sink = dispatcher.ingestSink();
    }

    public Page<DeliveryView> list(
            String accountId,
            String endpointId,
            String eventType,
            String status,
            Instant from,
            Instant to,
            PageRequest page) {
        if (endpointId != null) {
            endpoints.owned(accountId, endpointId);
        }
        DeliveryStatus state = status == null
                ? null
                : DeliveryStatus.parse(status)
                        .orElseThrow(() ->
                                ProblemException.invalidField("status", "unknown status", DeliveryStatus.dbValues()));
        return list(accountId, endpointId, eventType, state, from, to, page);
    }

    private Page<DeliveryView> list(
            String accountId,
            String endpointId,
            String eventType,
            DeliveryStatus status,
            Instant from,
            Instant to,
            PageRequest page) {
        Long before = page.startingAfter() == null ? null : deliveryId(page.startingAfter(), "starting_after");
        return Page.of(
                sql(() -> queries.list(
                        accountId,
                        new DeliveryFilter(endpointId, eventType, status, from, to, before),
                        page.fetchSize())),
                page.limit(),
                v -> v);
    }

    public DeliveryView get(String accountId, String endpointId, String deliveryId) {
        long id = deliveryId(deliveryId, "id");
        DeliveryView view = sql(() -> queries.find(accountId, id)).orElse(null);
        if (view == null || (endpointId != null && !endpointId.equals(view.endpointId()))) {
            throw ProblemException.notFound("Delivery", deliveryId);
        }
        return view;
    }

    public List<AttemptView> attempts(String accountId, String endpointId, String deliveryId) {
        get(accountId, endpointId, deliveryId);
        return sql(() -> queries.attempts(deliveryId(deliveryId, "id")));
    }

    public DeliveryView redeliver(String accountId, String endpointId, String deliveryId) {
        get(accountId, endpointId, deliveryId);
        List<DeliveryTask> tasks = sql(() -> deliveries.redeliver(
                accountId,
                deliveryId(deliveryId, "id"),
                identity.owner(),
                config.scheduler().lease()));
        dispatcher.submit(tasks);
        return get(accountId, endpointId, deliveryId);
    }

    /**
     * Sends the catalog sample of {@code type} (or {@code data}) to the endpoint, marked as a test delivery; its
     * event is stored marked as a test event too (never listed by the Events API, never recovered).
     */
    public DeliveryView test(String accountId, String endpointId, String type, JsonNode data) {
        WebhookEndpoint endpoint = endpoints.owned(accountId, endpointId);
        EventCatalog catalog = EventCatalog.load();
        String eventType = type != null
                ? type
                : catalog.types().stream()
                        .filter(t -> List.of(endpoint.eventTypes).stream().anyMatch(f -> EventFilters.matches(f, t)))
                        .findFirst()
                        .orElse(catalog.types().get(0));
        if (!catalog.isKnown(eventType)) {
            throw ProblemException.invalidField("event", "unknown event type '" + eventType + "'", catalog.types());
        }
        JsonNode payload = data != null ? data : catalog.get(eventType).sample();
        List<String> violations = catalog.validate(eventType, payload);
        if (!violations.isEmpty()) {
            throw ProblemException.invalidField("data", String.join("; ", violations), null);
        }
        EventEnvelope envelope = EventEnvelope.create(eventType, payload);
        String eventId = envelope.id();
        IngestRepository.Ingested created = sql(() -> ingest.ingest(
                List.of(new IngestRepository.MatchedEvent(
                        eventId,
                        accountId,
                        eventType,
                        envelope.toJsonBytes(),
                        null,
                        envelope.timestamp(),
                        null,
                        List.of(endpointId))),
                true,
                identity.owner(),
                config.scheduler().lease(),
                config.consumer().ingestChunk(),
                sink));
        if (created.created() == 0) { // the endpoint was deleted meanwhile
            throw ProblemException.notFound("Webhook endpoint", endpointId);
        }
        return get(accountId, endpointId, DeliveryId.publicId(created.lastId()));
    }

    public Page<DeliveryView> deadLetters(
            String accountId, String endpointId, Instant from, Instant to, PageRequest page) {
        endpoints.owned(accountId, endpointId);
        return list(accountId, endpointId, null, DeliveryStatus.DEAD, from, to, page);
    }

    public DeliveryView replay(String accountId, String endpointId, String deliveryId) {
        endpoints.owned(accountId, endpointId);
        List<DeliveryTask> tasks = sql(() -> deliveries.replayDead(
                accountId,
                endpointId,
                deliveryId(deliveryId, "id"),
                identity.owner(),
                config.scheduler().lease()));
        if (tasks.isEmpty()) {
            throw ProblemException.notFound("Dead letter", deliveryId);
        }
        dispatcher.submit(tasks);
        return get(accountId, endpointId, deliveryId);
    }

    public int replayAll(String accountId, String endpointId, Instant from, Instant to) {
        endpoints.owned(accountId, endpointId);
        // set-based, in batches: the rows become due in PostgreSQL and the scheduler claims them as lanes have room
        return sql(() -> deliveries.replayDead(
                accountId,
                endpointId,
                orMin(from),
                orMax(to),
                config.scheduler().replayBatchSize()));
    }

    public int purge(String accountId, String endpointId, Instant from, Instant to) {
        endpoints.owned(accountId, endpointId);
        return sql(() -> deliveries.purgeDead(accountId, endpointId, orMin(from), orMax(to)));
    }

    public void purgeOne(String accountId, String endpointId, String deliveryId) {
        endpoints.owned(accountId, endpointId);
        if (!sql(() -> deliveries.purgeDead(accountId, endpointId, deliveryId(deliveryId, "id")))) {
            throw ProblemException.notFound("Dead letter", deliveryId);
        }
    }

    private static Instant orMin(Instant from) {
        return from == null ? Instant.EPOCH : from;
    }

    private static Instant orMax(Instant to) {
        return to == null ? Instant.parse("9999-12-31T00:00:00Z") : to;
    }

    static long deliveryId(String publicId, String field) {
        Optional<DeliveryId> id = DeliveryId.parse(publicId);
        if (id.isPresent()) {
            return id.get().value();
        }
        if (field.equals("id")) {
            throw ProblemException.notFound("Delivery", publicId);
        }
        throw ProblemException.invalidField(field, "must be a delivery id (dlv_...)", null);
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
