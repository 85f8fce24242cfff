package io.cloudnexus.gateway.oauth;

import jakarta.inject.Singleton;

import io.cloudnexus.gateway.service.FailureThrottle;
import io.quarkus.scheduler.Scheduled;

/**
 * Failed client authentications at the token and revocation endpoints, counted per client id
 * ({@code oauth.client-auth-failures}) and per source address ({@code oauth.address-auth-failures}) in windows
 * of {@code oauth.client-auth-window}, on this replica: once either is used up, that client id or address gets
 * 429 until its window ends, whatever the secret.
 */
@Singleton
public class ClientAuthThrottle {

    /** One {@link FailureThrottle} per kind of subject. */
    static final class Counter extends FailureThrottle {
        Counter(int limit, java.time.Duration window) {
            super(limit, window);
        }

        @Override
        protected void evictExpired() {
            super.evictExpired();
        }
    }

    private final Counter byClient;
    private final Counter byAddress;

    public ClientAuthThrottle(OAuthConfig config) {
        byClient = new Counter(config.clientAuthFailures(), config.clientAuthWindow());
        byAddress = new Counter(config.addressAuthFailures(), config.clientAuthWindow());
    }

    /** Seconds until a client authentication of {@code clientId} from {@code address} may be tried, or 0. */
    public long retryAfterSeconds(String clientId, String address) {
        long wait = byAddress.retryAfterSeconds(address);
        return clientId == null ? wait : Math.max(wait, byClient.retryAfterSeconds(clientId));
    }

    /** Counts a failed authentication of {@code clientId} (when one was named) from {@code address}. */
    public void failed(String clientId, String address) {
        byAddress.failed(address);
        if (clientId != null) {
            byClient.failed(clientId);
        }
    }

    @Scheduled(every = "60s", delayed = "60s")
    void evictExpired() {
        byClient.evictExpired();
        byAddress.evictExpired();
    }
}
