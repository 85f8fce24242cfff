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
     * Base64 of the 32-byte AES key that encrypts endpoint secrets at rest. Required: without it the service
     * does not start, unless {@link #secretKeyFileFallback()} is on.
     */
    Optional<String> secretKey();

    /**
     * Whether, when {@link #secretKey()} is not set, the key is read from {@link #secretKeyFile()} (created
     * there once, owner-only {@code 0600}, if missing). Off by default, so a production start without a key
     * fails; on in the {@code dev} profile, the local platform ({@code run-platform.sh}) and docker-compose.
     */
    @WithDefault("false")
    boolean secretKeyFileFallback();

    /** File holding the base64 AES key when {@link #secretKey()} is not set and the file fallback is on. */
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

    Endpoints endpoints();

    Writer writer();

    Health health();

    Retention retention();

    Stream stream();

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
        /** The adaptive bound on each endpoint's requests in flight. */
        Concurrency concurrency();

        /**
         * Each lane's own limit on requests in flight, adapted to its endpoint (AIMD): +1 per round trip while the
         * endpoint answers near its baseline latency and the lane uses its limit; times {@link #overloadDecrease()}
         * on a timeout, connection error, 429 or 5xx; times {@link #latencyDecrease()} when the answers' smoothed latency
         * (exponential average, weight 0.1) exceeds {@code baseline * latency-tolerance + latency-slack} (never below {@link #initial()}: only
         * overload signals go lower); at most one cut per round trip. Per lane: one
         * endpoint's limit never takes from another's.
         */
        interface Concurrency {
            /** The limit a new lane starts with; latency alone never cuts below it (errors do, down to min). */
            @WithDefault("8")
            int initial();

            /** The lowest the limit goes. */
            @WithDefault("1")
            int min();

            /** The highest the limit goes (also keep {@code outbound.max-connections-per-host} at least this). */
            @WithDefault("64")
            int max();

            /** Factor applied to the limit on a timeout, connection error, 429 or 5xx. */
            @WithDefault("0.5")
            double overloadDecrease();

            /** Factor applied to the limit when an answer's latency rises above the baseline. */
            @WithDefault("0.9")
            double latencyDecrease();

            /** An answer within {@code baseline * latency-tolerance + latency-slack} is near the baseline. */
            @WithDefault("2.0")
            double latencyTolerance();

            /** Absolute allowance above the tolerated latency (keeps sub-millisecond baselines from jitter). */
            @WithDefault("10ms")
            Duration latencySlack();

            /** Answers per window of the baseline (the lowest latency of the last one or two windows). */
            @WithDefault("200")
            int baselineWindow();
        }

        /**
         * Sustained requests per second per endpoint when the endpoint sets no {@code rate_limit}. The limit holds
         * across replicas: each live replica's token bucket gets {@code limit / live replicas}. 2,000/s: a busy
         * account's single URL is not held below what the engine and a healthy receiver sustain (at 200/s, five
         * endpoints could never take more than 1,000 deliveries/s); a receiver that cannot keep up is protected by
         * the lane's adaptive concurrency (cut on errors, timeouts, 429 and slowing answers), and a customer who
         * wants less sets {@code rate_limit}.
         */
        @WithDefault("2000")
        int ratePerSecond();

        /** Largest {@code rate_limit} (requests per second) a customer may give an endpoint; above it a 400. */
        @WithDefault("10000")
        int maxRatePerSecond();

        /**
         * Token bucket size across all replicas: the burst an endpoint can get above its rate (at most one
         * second of its rate; split between the live replicas like the rate).
         */
        @WithDefault("200")
        int burst();

        /**
         * Deliveries of ONE endpoint held in memory (queued or in flight) by this replica; the rest waits in
         * PostgreSQL, unleased, and is claimed when the lane has room. Must be well below {@link #maxQueued()}.
         */
        @WithDefault("1000")
        int maxHeldPerEndpoint();

        /**
         * Deliveries held in memory across all lanes of this replica; above it new deliveries are committed but
         * not held (claimed later). No endpoint can fill it alone (see {@link #maxHeldPerEndpoint()}).
         */
        @WithDefault("100000")
        int maxQueued();

        /** A lane with nothing queued or in flight for this long is dropped (its circuit breaker state with it). */
        @WithDefault("5m")
        Duration idleEviction();
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

        /**
         * Lease of the deliveries a replica holds in memory, renewed every {@link #leaseRenewal()} while held; a
         * lease that was not renewed for this long is free for any replica (backstop of {@link #deadAfter()}).
         */
        @WithDefault("30s")
        Duration lease();

        /** How often the leases of held deliveries are renewed (one batched statement); well below the lease. */
        @WithDefault("10s")
        Duration leaseRenewal();

        /** How often this replica records its heartbeat in {@code webhook_engine} (and counts the live replicas). */
        @WithDefault("2s")
        Duration heartbeat();

        /**
         * A replica whose heartbeat is older than this is dead: its leases are free at once, whatever their
         * expiry, and it no longer counts for the rate-limit shares.
         */
        @WithDefault("6s")
        Duration deadAfter();

        /** Dead letters a bulk replay marks due per statement (set-based; the scheduler then claims them). */
        @WithDefault("1000")
        int replayBatchSize();

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

        /** Records per poll (offsets committed once all of the poll's deliveries are durable). */
        @WithDefault("1000")
        int maxPollRecords();

        /**
         * Most delivery rows written per ingest transaction: a poll whose events fan out to more deliveries is
         * persisted in several transactions (its offsets are committed after the last one).
         */
        @WithDefault("5000")
        int ingestChunk();

        /** How often topic metadata is refreshed, so new {@code *.events} topics are picked up. */
        @WithDefault("30s")
        Duration metadataRefresh();

        /**
         * Kafka session timeout: how long a crashed replica keeps its partitions before the group hands them
         * to the others (the uncommitted records are then re-read). 6 s is the broker's default minimum
         * ({@code group.min.session.timeout.ms}); with it and {@code scheduler.dead-after} a killed replica's work
         * (partitions and leased deliveries) resumes on the others within about 7 s. Heartbeats are sent every
         * fifth of it (at least 1 s) from the consumer's own thread, so a slow poll does not count against it.
         */
        @WithDefault("6s")
        Duration sessionTimeout();

        /** Whether the consumer runs (off only for tests that drive the engine directly). */
        @WithDefault("true")
        boolean enabled();
    }

    /** Limits on what an account may create. */
    interface Endpoints {
        /** Endpoints one account may have; creating one more is a 409. */
        @WithDefault("100")
        int maxPerAccount();
    }

    /** The result writer: the in-memory queue of attempt outcomes and how it writes them. */
    interface Writer {
        /**
         * Outcomes waiting to be written, at most. When full, whoever records an outcome waits for room
         * (nothing is dropped); the lanes then stop completing work, so the consumer pauses and the scheduler
         * stops claiming.
         */
        @WithDefault("100000")
        int capacity();

        /** Outcomes written in one transaction, at most. */
        @WithDefault("5000")
        int maxBatch();

        /**
         * Whether each batch of outcomes waits for PostgreSQL's WAL flush. Off by default: a PostgreSQL crash can
         * then forget the last outcomes written (their deliveries are attempted again: duplicates, never losses),
         * and the writer no longer waits for the disk, which shrinks the sent-but-unrecorded window a crashed
         * replica turns into duplicates. Creating deliveries always waits for the flush.
         */
        @WithDefault("false")
        boolean synchronousCommit();

        /** First wait after a transient database failure (connection lost, shutdown...); doubled each time. */
        @WithDefault("200ms")
        Duration retryBackoff();

        /** Longest wait between retries of a transient database failure. */
        @WithDefault("30s")
        Duration retryBackoffMax();
    }

    /** What {@code /q/health/live} and {@code /q/health/ready} report about the engine. */
    interface Health {
        /**
         * The consumer not polling, the writer not making progress, or a periodic job not running for this long
         * is reported DOWN.
         */
        @WithDefault("60s")
        Duration stallTimeout();

        /** Not ready while more outcomes than this wait for the result writer. */
        @WithDefault("50000")
        int writerBacklogThreshold();

        /** The queue-depth gauges count at most this many rows per state (on the partial indexes, no table scan). */
        @WithDefault("100000")
        int queueDepthCap();
    }

    /** Deleting old finished data, by one replica at a time. */
    interface Retention {
        /** Whether the retention job runs. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Age after which finished deliveries (delivered, or dead-lettered) and their attempts, events without
         * deliveries and published outbox rows are deleted.
         */
        @WithDefault("30d")
        Duration age();

        /** How often the job runs. */
        @WithDefault("1h")
        Duration interval();

        /** Rows deleted per statement (one short transaction each). */
        @WithDefault("1000")
        int batchSize();

        /** A run stops after this long and continues at the next interval. */
        @WithDefault("5m")
        Duration maxRunTime();
    }

    /** The live event stream ({@code GET /events/stream}, WebSocket or Server-Sent Events). */
    interface Stream {
        /** Whether this replica serves streams (and runs the feed consumer that reads every partition). */
        @WithDefault("true")
        boolean enabled();

        /** A heartbeat frame (SSE: a comment) is sent this often on every open stream. */
        @WithDefault("25s")
        Duration heartbeat();

        /**
         * Frames queued for one connection, at most: a client that does not keep up (the socket's write queue full
         * and this many frames waiting) is closed with 4008 and resumes with {@code since}.
         */
        @WithDefault("1000")
        int buffer();

        /** Open streams per account across all replicas, by the account's tier; one more is a 429. */
        @WithDefault("5")
        int maxConnectionsStarter();

        @WithDefault("25")
        int maxConnectionsProfessional();

        @WithDefault("100")
        int maxConnectionsEnterprise();

        /**
         * Events the replica keeps in memory from its feed (newest; also bounded by {@link #recentAge()}): a
         * resuming stream gets the events not yet stored from here, and a re-sent record is recognised by its id.
         */
        @WithDefault("20000")
        int recentEvents();

        /** How long an event stays in the replica's recent events. */
        @WithDefault("2m")
        Duration recentAge();

        /**
         * Longest a record read by the feed waits for the records of other partitions that may precede it in the
         * streams' order (it waits only while such a partition still has records to read).
         */
        @WithDefault("250ms")
        Duration maxReorderHold();

        /** Events read per query while a stream replays from the store ({@code since}). */
        @WithDefault("500")
        int replayBatch();

        /** How often the accounts with open streams anywhere are re-read (delivery frames are sent only for them). */
        @WithDefault("1s")
        Duration presenceRefresh();
    }
}
