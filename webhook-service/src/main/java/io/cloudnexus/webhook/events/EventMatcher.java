package io.cloudnexus.webhook.events;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.contracts.CanonicalJson;
import io.cloudnexus.contracts.EventEnvelope;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.webhook.delivery.EndpointIndex;
import io.cloudnexus.webhook.delivery.EndpointRoute;
import io.cloudnexus.webhook.repository.IngestRepository.MatchedEvent;

/**
 * Turns one CloudEvents record (binary mode) into the public envelope bytes and the account's active
 * endpoints whose filter selects its type. Records that cannot be delivered (no id, type or account, data
 * not a JSON object) are logged and skipped.
 */
@ApplicationScoped
public class EventMatcher {

    private static final Logger LOG = Logger.getLogger(EventMatcher.class);
    private final EndpointIndex index;

    public EventMatcher(EndpointIndex index) {
        this.index = index;
    }

    /** Brings the endpoint index up to date with every endpoint change committed so far (see EndpointIndex). */
    public boolean awaitFresh() {
        return index.awaitFresh();
    }

    public Optional<MatchedEvent> match(
            String id, String type, String accountId, String time, byte[] value, String where) {
        if (id == null || type == null || accountId == null || value == null) {
            LOG.warnf("skipping %s: missing ce_id, ce_type, ce_accountid or value", where);
            return Optional.empty();
        }
        List<EndpointRoute> routes = index.matching(accountId, type);
        if (routes.isEmpty()) {
            return Optional.empty();
        }
        byte[] body;
        try {
            // re-canonicalised so the body survives JSON.stringify(JSON.parse(body)) whatever the producer wrote
            String data = CanonicalJson.toJson(CanonicalJson.parse(value));
            body = EventEnvelope.toJson(type, id, timestamp(time, id), data)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping %s (event %s): %s", where, id, e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new MatchedEvent(
                id,
                accountId,
                type,
                body,
                routes.stream().map(EndpointRoute::id).toList()));
    }

    private static Instant timestamp(String time, String id) {
        if (time != null) {
            try {
                return Instant.parse(time);
            } catch (RuntimeException e) {
                // fall through
            }
        }
        return EventIds.isValid(id) ? EventIds.timestampOf(id) : Instant.now();
    }
}
