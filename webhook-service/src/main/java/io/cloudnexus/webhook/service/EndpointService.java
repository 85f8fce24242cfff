package io.cloudnexus.webhook.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.common.rest.Page;
import io.cloudnexus.common.rest.PageRequest;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.EndpointIndex;
import io.cloudnexus.webhook.domain.EndpointView;
import io.cloudnexus.webhook.domain.EventFilterValidator;
import io.cloudnexus.webhook.domain.WebhookEndpoint;
import io.cloudnexus.webhook.outbound.UrlValidator;
import io.cloudnexus.webhook.security.SecretCipher;
import io.cloudnexus.webhook.security.Secrets;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Endpoint lifecycle: create (URL and filters validated, secret generated and shown once), change, pause,
 * resume, re-enable, rotate the secret, delete. Every change commits, then refreshes the engine's index.
 * Another account's endpoint is 404.
 */
@ApplicationScoped
public class EndpointService {

    private final UrlValidator urls;
    private final SecretCipher cipher;
    private final EndpointIndex index;
    private final WebhookConfig config;

    public EndpointService(UrlValidator urls, SecretCipher cipher, EndpointIndex index, WebhookConfig config) {
        this.urls = urls;
        this.cipher = cipher;
        this.index = index;
        this.config = config;
    }

    public EndpointView create(String accountId, String url, String description, List<String> events) {
        String validUrl = urls.validate(url).toString();
        String[] filters = EventFilterValidator.validate(events);
        String secret = Secrets.newSecret();
        WebhookEndpoint endpoint = new WebhookEndpoint();
        endpoint.id = ResourceIds.newId(ResourceIds.WEBHOOK_ENDPOINT);
        endpoint.accountId = accountId;
        endpoint.url = validUrl;
        endpoint.description = description(description);
        endpoint.eventTypes = filters;
        endpoint.status = WebhookEndpoint.ACTIVE;
        endpoint.secretEnc = cipher.encrypt(secret, endpoint.id);
        endpoint.createdAt = Instant.now();
        endpoint.updatedAt = endpoint.createdAt;
        QuarkusTransaction.requiringNew().run(endpoint::persist);
        index.reload(endpoint.id);
        return EndpointView.of(endpoint, secret);
    }

    public Page<EndpointView> list(String accountId, PageRequest page) {
        List<WebhookEndpoint> rows = page.startingAfter() == null
                ? WebhookEndpoint.<WebhookEndpoint>find("accountId = ?1 order by id", accountId).page(0, page.fetchSize()).list()
                : WebhookEndpoint.<WebhookEndpoint>find("accountId = ?1 and id > ?2 order by id", accountId,
                        page.startingAfter()).page(0, page.fetchSize()).list();
        return Page.of(rows, page.limit(), e -> EndpointView.of(e, null));
    }

    public EndpointView get(String accountId, String id) {
        return EndpointView.of(owned(accountId, id), null);
    }

    /** The account's endpoint or a 404. */
    public WebhookEndpoint owned(String accountId, String id) {
        WebhookEndpoint endpoint = id == null ? null : WebhookEndpoint.findOwned(accountId, id);
        if (endpoint == null) {
            throw ProblemException.notFound("Webhook endpoint", id);
        }
        return endpoint;
    }

    public EndpointView update(String accountId, String id, String url, String description, List<String> events) {
        String validUrl = url == null ? null : urls.validate(url).toString();
        String[] filters = events == null ? null : EventFilterValidator.validate(events);
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
            e.updatedAt = Instant.now();
            return e;
        });
        index.reload(id);
        return EndpointView.of(endpoint, null);
    }

    public void delete(String accountId, String id) {
        QuarkusTransaction.requiringNew().run(() -> owned(accountId, id).delete());
        index.reload(id);
    }

    /** pause (active to paused), resume (paused to active), enable (disabled to active, failure streak reset). */
    public EndpointView transition(String accountId, String id, String action) {
        WebhookEndpoint endpoint = QuarkusTransaction.requiringNew().call(() -> {
            WebhookEndpoint e = owned(accountId, id);
            String from = switch (action) {
                case "pause" -> WebhookEndpoint.ACTIVE;
                case "resume" -> WebhookEndpoint.PAUSED;
                default -> WebhookEndpoint.DISABLED;
            };
            String to = action.equals("pause") ? WebhookEndpoint.PAUSED : WebhookEndpoint.ACTIVE;
            if (e.status.equals(to)) {
                return e;
            }
            if (!e.status.equals(from)) {
                throw ProblemException.conflict("Cannot " + action + " an endpoint that is " + e.status + ".");
            }
            e.status = to;
            e.disabledReason = null;
            if (action.equals("enable")) {
                e.failingSince = null;
            }
            e.updatedAt = Instant.now();
            return e;
        });
        index.reload(id);
        return EndpointView.of(endpoint, null);
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
        return EndpointView.of(endpoint, secret);
    }

    private static String description(String description) {
        if (description != null && description.length() > 500) {
            throw ProblemException.invalidField("description", "must be at most 500 characters", null);
        }
        return description;
    }
}
