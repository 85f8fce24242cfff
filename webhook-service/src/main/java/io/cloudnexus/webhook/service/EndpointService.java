package io.cloudnexus.webhook.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.common.rest.Page;
import io.cloudnexus.common.rest.PageRequest;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.Dispatcher;
import io.cloudnexus.webhook.delivery.EndpointIndex;
import io.cloudnexus.webhook.delivery.RetryScheduler;
import io.cloudnexus.webhook.domain.EndpointStatus;
import io.cloudnexus.webhook.domain.EndpointView;
import io.cloudnexus.webhook.domain.EventFilterValidator;
import io.cloudnexus.webhook.domain.WebhookEndpoint;
import io.cloudnexus.webhook.outbound.UrlValidator;
import io.cloudnexus.webhook.security.SecretCipher;
import io.cloudnexus.webhook.security.Secrets;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Endpoint lifecycle: create (URL, filters and rate limit validated, at most {@code endpoints.max-per-account} per
 * account, secret generated and shown once), change, pause,
 * resume, re-enable, rotate the secret, delete. Every change commits, then refreshes the engine's index.
 * Another account's endpoint is 404.
 */
@ApplicationScoped
public class EndpointService {

    private final UrlValidator urls;
    private final SecretCipher cipher;
    private final EndpointIndex index;
    private final Dispatcher dispatcher;
    private final WebhookConfig config;
    private final RetryScheduler scheduler;

    /** Pausing records when; the failure streak is frozen from then on. */
    private static final String PAUSED = "UPDATE webhook_endpoint SET paused_at = now() WHERE id = ?1";
    /**
     * Leaving the paused state moves the failure streak forward by the time spent paused (a streak that began while
     * paused starts now), so the failure window counts only the time the endpoint was attempted.
     */
    private static final String NOT_PAUSED = "UPDATE webhook_endpoint SET failing_since = CASE "
            + "WHEN failing_since IS NULL OR paused_at IS NULL THEN failing_since "
            + "ELSE failing_since + (now() - GREATEST(paused_at, failing_since)) END, paused_at = NULL WHERE id = ?1";

    public EndpointService(
            UrlValidator urls,
            SecretCipher cipher,
            EndpointIndex index,
            Dispatcher dispatcher,
            WebhookConfig config,
            RetryScheduler scheduler) {
        this.urls = urls;
        this.cipher = cipher;
        this.index = index;
        this.dispatcher = dispatcher;
        this.config = config;
        this.scheduler = scheduler;
    }

    public EndpointView create(
            String accountId, String url, String description, List<String> events, Integer rateLimit) {
        String validUrl = urls.validate(url).toString();
        String[] filters = EventFilterValidator.validate(events);
        Integer limit = rateLimit(rateLimit);
        String secret = Secrets.newSecret();
        WebhookEndpoint endpoint = new WebhookEndpoint();
        endpoint.id = ResourceIds.newId(ResourceIds.WEBHOOK_ENDPOINT);
        endpoint.accountId = accountId;
        endpoint.url = validUrl;
        endpoint.description = description(description);
        endpoint.eventTypes = filters;
        endpoint.rateLimit = limit;
        endpoint.status = EndpointStatus.ACTIVE;
        endpoint.secretEnc = cipher.encrypt(secret, endpoint.id);
        endpoint.createdAt = Instant.now();
        endpoint.updatedAt = endpoint.createdAt;
        QuarkusTransaction.requiringNew().run(() -> {
            // serialises the account's creations, so concurrent ones cannot pass the cap together
            WebhookEndpoint.getEntityManager()
                    .createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                    .setParameter(1, "webhook_endpoint:" + accountId)
                    .getSingleResult();
            long existing = WebhookEndpoint.count("accountId", accountId);
            int max = config.endpoints().maxPerAccount();
            if (existing >= max) {
                throw ProblemException.conflict(
                        "An account can have at most " + max + " webhook endpoints; delete one first.");
            }
            endpoint.persist();
        });
        index.reload(endpoint.id);
        if (limit != null) {
            dispatcher.rateLimitChanged(endpoint.id, limit);
        }
        return EndpointView.of(endpoint, secret, config.lane().ratePerSecond());
    }

    public Page<EndpointView> list(String accountId, PageRequest page) {
        List<WebhookEndpoint> rows = page.startingAfter() == null
                ? WebhookEndpoint.<WebhookEndpoint>find("accountId = ?1 order by id", accountId)
                        .page(0, page.fetchSize())
                        .list()
                : WebhookEndpoint.<WebhookEndpoint>find(
                                "accountId = ?1 and id > ?2 order by id", accountId, page.startingAfter())
                        .page(0, page.fetchSize())
                        .list();
        return Page.of(
                rows, page.limit(), e -> EndpointView.of(e, null, config.lane().ratePerSecond()));
    }

    public EndpointView get(String accountId, String id) {
        return EndpointView.of(owned(accountId, id), null, config.lane().ratePerSecond());
    }

    /** The account's endpoint or a 404. */
    public WebhookEndpoint owned(String accountId, String id) {
        WebhookEndpoint endpoint = id == null ? null : WebhookEndpoint.findOwned(accountId, id);
        if (endpoint == null) {
            throw ProblemException.notFound("Webhook endpoint", id);
        }
        return endpoint;
    }

    public EndpointView update(
            String accountId, String id, String url, String description, List<String> events, Integer rateLimit) {
        String validUrl = url == null ? null : urls.validate(url).toString();
        String[] filters = events == null ? null : EventFilterValidator.validate(events);
        Integer limit = rateLimit(rateLimit);
        WebhookEndpoint endpoint = QuarkusTransaction.requiringNew().call(() -> {
            WebhookEndpoint e = owned(accountId, id);
            if (validUrl != null) {
                e.url = validUrl;
            }
            if (description != null) {
                e.description = description(description);
            }
            if (filters != null) {
                e.eventTypes = filters;
            }
            if (limit != null) {
                e.rateLimit = limit;
            }
            e.updatedAt = Instant.now();
            return e;
        });
        index.reload(id);
        if (limit != null) {
            dispatcher.rateLimitChanged(id, limit);
        }
        return EndpointView.of(endpoint, null, config.lane().ratePerSecond());
    }

    public void delete(String accountId, String id) {
        QuarkusTransaction.requiringNew().run(() -> owned(accountId, id).delete());
        index.reload(id);
    }

    /** The {@code disabled_reason} of an endpoint its customer disabled. */
    public static final String DISABLED_BY_CUSTOMER = "disabled by the customer";

    /**
     * pause (active to paused: new events are still queued for it, held in PostgreSQL), resume (paused to active:
     * the failure streak moves forward by the time spent paused, so the failure window counts active time only,
     * and the held deliveries are claimed at once), enable (disabled to active, failure streak reset), disable
     * (active or paused to disabled, by the customer: nothing is queued for it until enabled; recover gets what it
     * missed).
     */
    public EndpointView transition(String accountId, String id, EndpointStatus.Transition transition) {
        WebhookEndpoint endpoint = QuarkusTransaction.requiringNew().call(() -> {
            WebhookEndpoint e = owned(accountId, id);
            if (e.status == transition.to) {
                return e;
            }
            if (!transition.from.contains(e.status)) {
                throw ProblemException.conflict(
                        "Cannot " + transition.verb() + " an endpoint that is " + e.status.db() + ".");
            }
            e.status = transition.to;
            e.disabledReason = transition == EndpointStatus.Transition.DISABLE ? DISABLED_BY_CUSTOMER : null;
            if (transition == EndpointStatus.Transition.ENABLE) {
                e.failingSince = null;
            }
            e.updatedAt = Instant.now();
            // flushed first: the statement below (paused time, failure streak) is then the last word on those columns
            WebhookEndpoint.getEntityManager().flush();
            WebhookEndpoint.getEntityManager()
                    .createNativeQuery(transition == EndpointStatus.Transition.PAUSE ? PAUSED : NOT_PAUSED)
                    .setParameter(1, id)
                    .executeUpdate();
            WebhookEndpoint.getEntityManager().refresh(e);
            return e;
        });
        index.reload(id);
        if (endpoint.status == EndpointStatus.ACTIVE) {
            scheduler.wake(); // the deliveries held while paused (or recovered) are due: claim them now
        }
        return EndpointView.of(endpoint, null, config.lane().ratePerSecond());
    }

    /** A new secret, returned once; the previous one keeps being signed with for the grace period. */
    public EndpointView rotate(String accountId, String id) {
        String secret = Secrets.newSecret();
        WebhookEndpoint endpoint = QuarkusTransaction.requiringNew().call(() -> {
            WebhookEndpoint e = owned(accountId, id);
            e.previousSecretEnc = e.secretEnc;
            e.previousSecretUntil = Instant.now().plus(config.rotationGrace());
            e.secretEnc = cipher.encrypt(secret, e.id);
            e.updatedAt = Instant.now();
            return e;
        });
        index.reload(id);
        return EndpointView.of(endpoint, secret, config.lane().ratePerSecond());
    }

    /** null (not given) or 1..lane.max-rate-per-second; else a 400 on rate_limit. */
    private Integer rateLimit(Integer rateLimit) {
        int max = config.lane().maxRatePerSecond();
        if (rateLimit != null && (rateLimit < 1 || rateLimit > max)) {
            throw ProblemException.invalidField(
                    "rate_limit", "must be between 1 and " + max + " requests per second", null);
        }
        return rateLimit;
    }

    private static String description(String description) {
        if (description != null && description.length() > 500) {
            throw ProblemException.invalidField("description", "must be at most 500 characters", null);
        }
        return description;
    }
}
