package io.cloudnexus.webhook.delivery;

import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import io.cloudnexus.contracts.EventFilters;
import io.cloudnexus.webhook.domain.EndpointStatus;

/**
 * What the engine needs to know about an endpoint, held in memory by {@link EndpointIndex}: where to send,
 * which types it wants, and the secrets to sign with (decrypted; never logged).
 */
public record EndpointRoute(
        String id,
        String accountId,
        URI url,
        List<String> filters,
        EndpointStatus status,
        String secret,
        String previousSecret,
        Instant previousSecretUntil) {

    public boolean active() {
        return status == EndpointStatus.ACTIVE;
    }

    /**
     * Whether new events create deliveries for it: active, or paused (held until resumed). A disabled endpoint
     * gets none (recovery is how it gets what it missed).
     */
    public boolean receivesEvents() {
        return status != EndpointStatus.DISABLED;
    }

    public boolean wants(String type) {
        return wants(filters, type);
    }

    /** Whether a subscription with these filters selects {@code type}: the one matching rule (index, recovery). */
    public static boolean wants(Collection<String> filters, String type) {
        for (String filter : filters) {
            if (EventFilters.matches(filter, type)) {
                return true;
            }
        }
        return false;
    }

    /** The secrets to sign with now: the current one, then the previous one while its grace lasts. */
    public List<String> signingSecrets(Instant now) {
        if (previousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil)) {
            return List.of(secret, previousSecret);
        }
        return List.of(secret);
    }

    @Override
    public String toString() {
        return "EndpointRoute[" + id + " " + url + " " + status.db() + "]";
    }
}
