package io.cloudnexus.webhook.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.common.rest.SafeText;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.webhook.delivery.EndpointIndex;
import io.cloudnexus.webhook.delivery.EndpointRoute;
import io.cloudnexus.webhook.repository.IngestRepository.MatchedEvent;

/**
 * Turns one CloudEvents record (binary mode) into the event to store: the public envelope bytes, the aggregate
 * it is about ({@code ce_subject}, kept only when it is a resource id), the envelope's timestamp, and the
 * account's endpoints whose filter selects its type (active or paused: a paused endpoint's deliveries are held
 * until it is resumed; a disabled one gets none). Every valid record is an event, also when no endpoint wants it.
 * Records that cannot be stored (no id, type or account, data not a JSON object) are logged and skipped.
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
            String id,
            String type,
            String accountId,
            String time,
            String subject,
            byte[] value,
            FeedPosition position,
            String where) {
        if (id == null || type == null || accountId == null || value == null) {
            LOG.warnf("skipping %s: missing ce_id, ce_type, ce_accountid or value", where);
            return Optional.empty();
        }
        Instant timestamp = Envelopes.timestamp(time, id).truncatedTo(ChronoUnit.SECONDS);
        byte[] body;
        try {
            body = Envelopes.of(id, type, timestamp, value);
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping %s (event %s): %s", where, SafeText.forLog(id), e.getMessage());
            return Optional.empty();
        }
        List<EndpointRoute> routes = index.matching(accountId, type);
        return Optional.of(new MatchedEvent(
                id,
                accountId,
                type,
                body,
                resource(subject),
                timestamp,
                position,
                routes.stream().map(EndpointRoute::id).toList()));
    }

    /** The subject if it is a resource id ({@code srv_...}, {@code whk_...}), else null: only those are queried. */
    static String resource(String subject) {
        return ResourceIds.prefixOf(subject).isPresent() ? subject : null;
    }
}
