package io.cloudnexus.webhook.outbound;

/**
 * The DNS answer needed to check a URL did not come in time, or the resolver is saturated: a dependency
 * problem, not the client's mistake, so it is answered 503 with {@code Retry-After}
 * ({@link ResolverUnavailableMapper}).
 */
public class ResolverUnavailableException extends RuntimeException {

    private final String host;

    public ResolverUnavailableException(String host, boolean saturated) {
        super(
                saturated
                        ? "the DNS resolver is saturated; host '" + host + "' could not be checked"
                        : "no DNS answer for host '" + host + "' in time",
                null,
                false,
                false);
        this.host = host;
    }

    public String host() {
        return host;
    }
}
