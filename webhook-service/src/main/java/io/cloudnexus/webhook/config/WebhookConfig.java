package io.cloudnexus.webhook.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the delivery engine: every property under {@code cloudnexus.webhooks}. */
@ConfigMapping(prefix = "cloudnexus.webhooks")
public interface WebhookConfig {

    /**
     * Base64 of the 32-byte AES key that encrypts endpoint secrets at rest. Required in production;
     * when absent the key is read from (or created in) {@link #secretKeyFile()}.
     */
    Optional<String> secretKey();

    /** File holding the base64 AES key when {@link #secretKey()} is not set (local platform only). */
    @WithDefault(".local/webhook-secret.key")
    String secretKeyFile();

    /** How long the previous secret keeps being signed with after a rotation. */
    @WithDefault("24h")
    Duration rotationGrace();

    /** An endpoint failing without a single success for this long is disabled. */
    @WithDefault("5d")
    Duration failureWindow();

    /** {@code User-Agent} of delivery requests. */
    @WithDefault("CloudNexus-Webhooks/2.4")
    String userAgent();

    Outbound outbound();

    Retry retry();

    Lane lane();

    CircuitBreaker circuitBreaker();

    Scheduler scheduler();

    Consumer consumer();

    /** Outbound safety and the HTTP request. */
    interface Outbound {
        /** Whether plain {@code http} URLs are accepted (tests and the local platform only). */
        @WithDefault("false")
        boolean allowHttp();

        /** Whether private, loopback, link-local... addresses may be called (tests and the local platform only). */
        @WithDefault("false")
        boolean allowPrivate();

        /** CIDRs that may be called even though they are in a refused range, e.g. {@code 10.1.0.0/16}. */
        Optional<List<String>> allowList();

        /**
         * Total time an attempt may take, measured from its start: DNS lookup, connect (waiting for a pooled
         * connection included), TLS handshake, sending, the response head and reading the excerpt.
         */
        @WithDefault("5s")
        Duration timeout();

        /** At most this many bytes of the response body are kept as the attempt's excerpt. */
        @WithDefault("1024")
        int responseExcerptBytes();

        /** Connections kept per destination (host, port, address). */
        @WithDefault("64")
        int maxConnectionsPerHost();

        /** Threads of the dedicated DNS resolver pool (lookups never run on the shared worker pool). */
        @WithDefault("16")
        int resolverThreads();

        /** Lookups that may wait for a resolver thread; beyond that an attempt fails at once with {@code dns_error}. */
        @WithDefault("1024")
        int resolverQueue();

        /** How long a host's resolved addresses are reused (positive answers only; 0 turns the cache off). */
        @WithDefault("10s")
        Duration dnsCacheTtl();

        /** Longest status line the client accepts (bytes); a longer one is a {@code connection_error}. */
        @WithDefault("4096")
        int maxInitialLineLength();

        /** Longest response header block the client accepts (bytes); a longer one is a {@code connection_error}. */
        @WithDefault("16384")
        int maxHeaderSize();
    }

    /** The durable retry schedule. */
    interface Retry {
        /**
         * Delay before each attempt: the first is the initial attempt (normally 0), one entry per attempt;
         * after the last failing attempt the delivery is dead-lettered.
         */
        @WithDefault("0s,5s,5m,30m,2h,5h,10h,10h")
        List<Duration> schedule();

        /** Random spread applied to each delay: 0.2 means +/-20%. */
        @WithDefault("0.2")
        double jitter();

        /** Smallest delay a {@code Retry-After} header (429/503) can ask for. */
        @WithDefault("1s")
        Duration retryAfterMin();

        /** Largest delay a {@code Retry-After} header (429/503) can ask for. */
        @WithDefault("1h")
        Duration retryAfterMax();
    }

    /** Per-endpoint lanes. */
    interface Lane {
        /** Requests in flight at once per endpoint. */
        @WithDefault("8")
        int maxInFlight();

        /** Sustained requests per second per endpoint (token bucket refill rate). */
        @WithDefault("200")
        int ratePerSecond();

        /** Token bucket size: the burst an endpoint can get above its rate. */
        @WithDefault("200")
        int burst();

        /** Deliveries held in memory across all lanes before the Kafka consumer pauses. */
        @WithDefault("100000")
        int maxQueued();
    }

    /** Per-endpoint circuit breaker (SmallRye Fault Tolerance). */
    interface CircuitBreaker {
        /** Attempts in the rolling window the failure ratio is computed on. */
        @WithDefault("20")
        int requestVolumeThreshold();

        /** Failure ratio in the window that opens the circuit. */
        @WithDefault("0.75")
        double failureRatio();

        /** How long the circuit stays open before a trial attempt. */
        @WithDefault("30s")
        Duration delay();
    }

    /** The retry / recovery scheduler that claims due deliveries from PostgreSQL. */
    interface Scheduler {
        /** How often due deliveries are claimed. */
        @WithDefault("1s")
        Duration interval();

        /** Most deliveries claimed at once. */
        @WithDefault("1000")
        int batchSize();

        /** How long a replica owns the deliveries it holds in memory; then another replica may claim them. */
        @WithDefault("2m")
        Duration lease();

        /** How often the endpoint index is reloaded (to see other replicas' changes). */
        @WithDefault("10s")
        Duration indexRefresh();

        /** How often attempt results are written (batched). */
        @WithDefault("20ms")
        Duration flushInterval();
    }

    /** The Kafka consumer of the domain topics. */
    interface Consumer {
        /** Consumer group shared by all replicas. */
        @WithDefault("webhook-service")
        String groupId();

        /** Regular expression of the topics consumed. */
        @WithDefault(".*\\.events")
        String topicPattern();

        /** Records per poll (one ingest transaction per poll). */
        @WithDefault("1000")
        int maxPollRecords();

        /** How often topic metadata is refreshed, so new {@code *.events} topics are picked up. */
        @WithDefault("30s")
        Duration metadataRefresh();

        /**
         * Kafka session timeout: how long a crashed replica keeps its partitions before the group hands them
         * to the others (the uncommitted records are then re-read).
         */
        @WithDefault("15s")
        Duration sessionTimeout();

        /** Whether the consumer runs (off only for tests that drive the engine directly). */
        @WithDefault("true")
        boolean enabled();
    }
}
