package io.cloudnexus.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the gateway is configured with ({@code cloudnexus.gateway.*}). */
@ConfigMapping(prefix = "cloudnexus.gateway")
public interface GatewayConfig {

    /** Base URLs of the services the /v2 routes go to. */
    Routes routes();

    /** How the gateway talks to the services. */
    Upstream upstream();

    /** Largest request body accepted, in bytes (larger: 413). */
    @WithDefault("1048576")
    int maxBodyBytes();

    /**
     * How long a client may take to send the whole request body once it is admitted (headers and
     * credential checked); slower: 408 and the connection is closed.
     */
    @WithDefault("10s")
    Duration bodyReadTimeout();

    /** API key verification. */
    Keys keys();

    /** Per-account rate limits. */
    RateLimit rateLimit();

    /** Idempotency-Key handling on POST. */
    Idempotency idempotency();

    /** The admin API ({@code /admin/...}). */
    Admin admin();

    /** OIDC access tokens as credentials. */
    Oidc oidc();

    /** Demo account bootstrap for the local platform. */
    Demo demo();

    /** The live event stream ({@code GET /v2/events/stream}: WebSocket or Server-Sent Events) and its tickets. */
    Stream stream();

    /** The web console at {@code /console/} and its sessions ({@code /console/session}). */
    Console console();

    interface Routes {
        /** compute-service: /v2/servers, /v2/regions, /v2/plans, /v2/images. */
        @WithDefault("http://127.0.0.1:8081")
        String compute();

        /** cluster-service: /v2/clusters/k8s... */
        @WithDefault("http://127.0.0.1:8082")
        String cluster();

        /** billing-service: /v2/billing... */
        @WithDefault("http://127.0.0.1:8083")
        String billing();

        /** webhook-service: /v2/webhooks..., /v2/events... */
        @WithDefault("http://127.0.0.1:8084")
        String webhook();
    }

    interface Upstream {
        /** Time to open a connection to a service before answering 503. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Time a service may take to answer before the gateway answers 504. */
        @WithDefault("30s")
        Duration timeout();

        /** Keep-alive connections per service and event loop (each event loop has its own pool). */
        @WithDefault("64")
        int poolSize();

        /**
         * Retry-After sent with 503 when the service did not suggest one, and when the gateway's own
         * database is unavailable.
         */
        @WithDefault("5s")
        Duration retryAfter();
    }

    interface Keys {
        /** How long a verified API key is trusted without asking the database (revocation on this replica is immediate). */
        @WithDefault("30s")
        Duration cacheTtl();
    }

    interface RateLimit {
        /** Where counters live: {@code memory} (this replica) or {@code redis} (shared; needs quarkus.redis.hosts). */
        @WithDefault("memory")
        String store();

        /** Length of one rate-limit window (starts with an account's first request in it). */
        @WithDefault("60s")
        Duration window();

        /** Requests per window on the starter tier. */
        @WithDefault("100")
        int starter();

        /** Requests per window on the professional tier. */
        @WithDefault("500")
        int professional();

        /** Requests per window on the enterprise tier. */
        @WithDefault("2000")
        int enterprise();

        /** Prefix of the Redis keys holding the counters. */
        @WithDefault("cn:rl:")
        String redisKeyPrefix();

        /** Longest wait for Redis per request; slower counts as a failure (the request is counted in memory). */
        @WithDefault("100ms")
        Duration redisTimeout();

        /** Consecutive Redis failures (errors or timeouts) that open the breaker: then Redis is not asked at all. */
        @WithDefault("3")
        int redisBreakerFailures();

        /** How long the breaker stays open before one request probes Redis again (success closes it). */
        @WithDefault("5s")
        Duration redisBreakerOpenFor();
    }

    interface Idempotency {
        /** How long a first response is kept and replayed. */
        @WithDefault("24h")
        Duration ttl();

        /**
         * How long the gateway keeps waiting for a service's answer to an idempotent POST after the
         * client got its 504 (or went away), so that the answer is still stored; until it is, retries are
         * 409. If none comes, the key stays blocked until its record expires (the outcome is unknown).
         */
        @WithDefault("60s")
        Duration outcomeWait();
    }

    interface Admin {
        /** A bootstrap admin key (Bearer) for the admin API; unset: only OIDC admins. Keep it secret. */
        Optional<String> bootstrapKey();

        /** The OIDC role that may use the admin API. */
        @WithDefault("cloudnexus-admin")
        String role();
    }

    interface Oidc {
        /**
         * Whether Bearer tokens that are not API keys are verified as OIDC access tokens (needs
         * quarkus.oidc.auth-server-url). No default here: application.properties gives it ({@code false}), because
         * {@code quarkus.oidc.tenant-enabled} is an expression of it there.
         */
        boolean enabled();

        /** The claim naming the account ({@code acc_...}). */
        @WithDefault("cloudnexus_account")
        String accountClaim();

        /** The claim with the scopes (a space-separated string or an array). */
        @WithDefault("scope")
        String scopesClaim();

        /**
         * The audiences a token must be issued for (its {@code aud} must contain one of them). Required
         * when OIDC is enabled: the gateway does not start without it.
         */
        Optional<List<String>> audience();
    }

    interface Stream {
        /**
         * How often each open stream's credential is verified again, against the database (never the key
         * cache): a revoked or deleted key, a deleted account or an expired OIDC token closes the stream
         * (WebSocket close 4003) within this interval plus one database round trip.
         */
        @WithDefault("10s")
        Duration recheckInterval();

        /**
         * Longest silence of the stream's service (no response headers, event or heartbeat; the service
         * sends a heartbeat every 25 s) before the gateway ends an SSE stream. {@code upstream.timeout} does not
         * apply to streams: they have no deadline.
         */
        @WithDefault("75s")
        Duration idleTimeout();

        /** How long a stream ticket ({@code POST /v2/events/stream/tickets}) may be used, once. */
        @WithDefault("60s")
        Duration ticketTtl();

        /**
         * Streams this replica relays to the service at most (WebSocket and SSE, each); one more is 503 with
         * Retry-After. Streams have their own connections, never the pooled keep-alive ones of other requests.
         */
        @WithDefault("10000")
        int maxConnections();
    }

    interface Console {
        /**
         * Longest life of a console session from its sign-in, however active (then 401: sign in again with
         * the API key).
         */
        @WithDefault("8h")
        Duration sessionLifetime();

        /** A console session unused for this long ends (each request it authenticates restarts the clock). */
        @WithDefault("30m")
        Duration idleTimeout();

        /**
         * The gateway's public origin ({@code https://api.example.com}) as browsers see it, accepted in the
         * {@code Origin} header of cookie-authenticated requests besides the request's own scheme, host and
         * port (set it when a proxy in front changes them). Unset: the request's own origin only.
         */
        Optional<String> publicOrigin();

        /**
         * Whether the session cookie omits {@code Secure} on plain http to localhost, 127.0.0.1 or [::1] (the
         * local platform); every other request gets a {@code Secure} cookie.
         */
        @WithDefault("true")
        boolean insecureLocalhost();

        /** Failed sign-ins ({@code POST /console/session}) per source address and window; more: 429. */
        @WithDefault("10")
        int signInFailures();

        /** The window of {@link #signInFailures()} (starts with an address's first failure in it). */
        @WithDefault("5m")
        Duration signInWindow();
    }

    interface Demo {
        /** Create a demo account and key at start and write them to {@link #credentialsFile()}. */
        @WithDefault("false")
        boolean enabled();

        /** Where the demo credentials are written (mode 600). */
        Optional<Path> credentialsFile();
    }
}
