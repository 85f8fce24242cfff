package io.cloudnexus.webhook.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.outbound.HttpSender;
import io.cloudnexus.webhook.repository.DeliveryRepository;
import io.cloudnexus.webhook.repository.IngestRepository;
import io.cloudnexus.webhook.tracing.DeliveryTracing;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.core.Vertx;

/**
 * The in-memory fast path: takes committed, leased deliveries, puts each into its endpoint's {@link Lane} and
 * attempts it through that endpoint's circuit breaker; every outcome goes to the {@link ResultWriter}.
 *
 * <p>An attempt waits in a {@link HostGate} while its destination has as many attempts in flight as the client has
 * connections to it (so its deadline never runs while it waits for a connection). One attempt then reads top to
 * bottom in {@link #begin}: prepare (the endpoint's route, still active, this
 * replica not fenced), send ({@link HttpSender} through the lane's breaker), match what came back to an
 * {@link Outcome} ({@link RetryPolicy}, or {@link Outcome.Deferred} when the breaker is open) and record it
 * ({@link ResultWriter#add}). Each lane is built with that attempt function; it decides only when to call it.
 *
 * <p>It keeps the set of delivery ids it holds (queued or in flight): a delivery already held is never taken
 * twice, the {@link LeaseKeeper} renews exactly these leases, and a delivery whose lease another replica took
 * over is dropped before its attempt. Each endpoint holds at most {@code lane.max-held-per-endpoint} deliveries
 * (and all together at most {@code lane.max-queued}); what does not fit is released in PostgreSQL at once and
 * claimed by the {@link RetryScheduler} when there is room.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Map<Long, DeliveryTask> heldTasks = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Ids of the held deliveries whose attempt has started and not yet finished. */
    private final Set<Long> attempting = ConcurrentHashMap.newKeySet();
    /** Held ids found neither queued nor attempting at the last {@link #orphans()} check. */
    private Set<Long> suspects = Set.of();
    /** Endpoints with their own rate_limit (the others use lane.rate-per-second). */
    private volatile Map<String, Integer> rateLimits = new ConcurrentHashMap<>();

    private final EndpointIndex index;
    private final HttpSender sender;
    private final RetryPolicy policy;
    private final ResultWriter writer;
    private final DeliveryMetrics metrics;
    private final Vertx vertx;
    private final WebhookConfig config;
    private final DeliveryRepository repository;
    private final EngineIdentity identity;
    private final DeliveryTracing tracing;
    private final HostGate gate;
    private volatile boolean stopping;
    private volatile long heartbeatNanos = System.nanoTime();

    public Dispatcher(
            EndpointIndex index,
            HttpSender sender,
            RetryPolicy policy,
            ResultWriter writer,
            DeliveryMetrics metrics,
            Vertx vertx,
            WebhookConfig config,
            DeliveryRepository repository,
            EngineIdentity identity,
            DeliveryTracing tracing) {
        this.index = index;
        this.sender = sender;
        this.policy = policy;
        this.writer = writer;
        this.metrics = metrics;
        this.vertx = vertx;
        this.config = config;
        this.repository = repository;
        this.identity = identity;
        this.tracing = tracing;
        // as many as the client's pool for the destination: no attempt spends its deadline waiting for a connection
        this.gate =
                new HostGate(config.outbound().maxConnectionsPerHost(), start -> vertx.runOnContext(v -> start.run()));
        metrics.inMemory(held);
    }

    /** Deliveries held in memory (queued or in flight). */
    public int held() {
        return held.get();
    }

    /** Deliveries of one endpoint held in memory (queued or in flight). */
    public int held(String endpointId) {
        Lane lane = lanes.get(endpointId);
        return lane == null ? 0 : lane.held();
    }

    /** Whether the endpoint currently has a lane (idle lanes are evicted). */
    public boolean hasLane(String endpointId) {
        return lanes.containsKey(endpointId);
    }

    /** The endpoint's current bound on requests in flight (adaptive), or -1 without a lane. */
    public int concurrencyLimit(String endpointId) {
        Lane lane = lanes.get(endpointId);
        return lane == null ? -1 : lane.concurrencyLimit();
    }

    /** This replica's current rate (requests per second) for the endpoint, or -1 without a lane. */
    public double rate(String endpointId) {
        Lane lane = lanes.get(endpointId);
        return lane == null ? -1 : lane.ratePerSecond();
    }

    /** The lease owner this dispatcher holds deliveries for. */
    public String owner() {
        return identity.owner();
    }

    /**
     * How many more deliveries this replica can hold in all (for the claims and the ingest). Outcomes still
     * waiting for the result writer count too: with {@code writer.capacity >= lane.max-queued} the writer's queue
     * then cannot fill up, so recording an outcome (on an event-loop thread) does not wait while the database is
     * slow or down; new work stays in PostgreSQL instead.
     */
    public int room() {
        return Math.max(0, config.lane().maxQueued() - held.get() - writer.backlog());
    }

    /** Where an ingest puts what it commits: held here, within each endpoint's room. */
    public IngestRepository.Sink ingestSink() {
        return new IngestRepository.Sink() {
            @Override
            public int room(String endpointId) {
                return Dispatcher.this.room(endpointId);
            }

            @Override
            public void committed(List<DeliveryTask> leased) {
                submit(leased);
            }
        };
    }

    /** How many more deliveries of the endpoint this replica can hold now (for the ingest). */
    public int room(String endpointId) {
        if (stopping) {
            return 0;
        }
        return Math.max(0, Math.min(room(), config.lane().maxHeldPerEndpoint() - held(endpointId)));
    }

    /**
     * The room of each endpoint that has a lane here (0 = full): a claim takes at most that many of its
     * deliveries; endpoints without a lane get {@code lane.max-held-per-endpoint}.
     */
    public Map<String, Integer> laneRooms() {
        Map<String, Integer> rooms = new HashMap<>();
        lanes.forEach((id, lane) -> rooms.put(id, lane.room()));
        return rooms;
    }

    /** The ids of every delivery held now (the leases to renew). */
    public List<Long> heldIds() {
        return new ArrayList<>(heldTasks.keySet());
    }

    /**
     * Hands committed deliveries leased to this replica to their lanes. A delivery already held is skipped;
     * the ones over their endpoint's cap (or the global one) are released in PostgreSQL, to be claimed later.
     */
    public void submit(List<DeliveryTask> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        Map<String, List<DeliveryTask>> byEndpoint = new LinkedHashMap<>();
        for (DeliveryTask task : tasks) {
            byEndpoint
                    .computeIfAbsent(task.endpointId(), k -> new ArrayList<>())
                    .add(task);
        }
        List<Long> rejected = new ArrayList<>();
        List<Lane> toPump = new ArrayList<>();
        byEndpoint.forEach((endpointId, list) -> {
            // under the map's lock for this endpoint: atomic with the idle-lane eviction
            Lane lane = lanes.compute(endpointId, (id, existing) -> {
                Lane l = existing != null ? existing : newLane(id);
                List<DeliveryTask> fresh = new ArrayList<>(list.size());
                for (DeliveryTask t : list) {
                    // already held: never twice. Registered BEFORE the lane sees it: a pump on another thread
                    // drops a queued task that is not held (taken over), and would otherwise drop this one too
                    if (heldTasks.putIfAbsent(t.id(), t) == null) {
                        fresh.add(t);
                    }
                }
                int accepted = stopping ? 0 : l.add(fresh, room());
                for (int i = 0; i < fresh.size(); i++) {
                    DeliveryTask t = fresh.get(i);
                    if (i < accepted) {
                        held.incrementAndGet();
                    } else {
                        heldTasks.remove(t.id(), t);
                        rejected.add(t.id());
                    }
                }
                return l;
            });
            toPump.add(lane);
        });
        for (Lane lane : toPump) {
            lane.pump();
        }
        if (!rejected.isEmpty()) {
            LOG.debugf("%d of %d deliveries released: their lanes are full", rejected.size(), tasks.size());
            try {
                repository.release(identity.owner(), rejected);
            } catch (Exception e) {
                // not held, so not renewed: the lease expires and any replica claims them
                LOG.warnf("releasing %d deliveries over their lane's cap failed: %s", rejected.size(), e.getMessage());
            }
        }
    }

    /**
     * A safety net for the invariant "every held delivery is queued in its lane or being attempted": held ids
     * found in neither state at two consecutive checks (a task between its lane and its attempt is in neither
     * for an instant, hence the second look) are no longer held, so the caller can release their leases and
     * any replica claims them again at once instead of this replica renewing a lease it never acts on. Returns
     * them (normally none).
     */
    public synchronized List<Long> orphans() {
        Set<Long> accounted = new HashSet<>(attempting);
        lanes.values().forEach(lane -> lane.queuedIds(accounted));
        Set<Long> now = new HashSet<>();
        for (Long id : heldTasks.keySet()) {
            if (!accounted.contains(id)) {
                now.add(id);
            }
        }
        List<Long> confirmed = new ArrayList<>();
        for (Long id : now) {
            if (suspects.contains(id) && !attempting.contains(id) && heldTasks.remove(id) != null) {
                held.decrementAndGet();
                confirmed.add(id);
            }
        }
        now.removeAll(confirmed);
        suspects = now;
        return confirmed;
    }

    /** For tests only: holds {@code task} without queueing it anywhere (what {@link #orphans()} guards against). */
    public void holdWithoutLane(DeliveryTask task) {
        if (heldTasks.putIfAbsent(task.id(), task) == null) {
            held.incrementAndGet();
        }
    }

    /** Deliveries whose lease this replica lost (another replica took them over): dropped unless in flight. */
    public void lost(Collection<Long> ids) {
        for (Long id : ids) {
            if (heldTasks.remove(id) != null) {
                held.decrementAndGet();
            }
        }
        if (!ids.isEmpty()) {
            LOG.infof(
                    "%d held deliveries are no longer leased to this replica (taken over, or finished meanwhile)",
                    ids.size());
        }
    }

    /** Called after each successful heartbeat; attempts stop starting while heartbeats fail (see below). */
    void heartbeatOk() {
        heartbeatNanos = System.nanoTime();
    }

    /** The endpoints' own rate limits and the live replica count, after a heartbeat: recomputes every lane's share. */
    void rates(Map<String, Integer> limits) {
        rateLimits = new ConcurrentHashMap<>(limits);
        lanes.forEach((id, lane) -> applyRate(id, lane));
    }

    /** The endpoint's rate limit changed on this replica (the others see it at their next heartbeat). */
    public void rateLimitChanged(String endpointId, Integer limit) {
        if (limit == null) {
            rateLimits.remove(endpointId);
        } else {
            rateLimits.put(endpointId, limit);
        }
        Lane lane = lanes.get(endpointId);
        if (lane != null) {
            applyRate(endpointId, lane);
        }
    }

    /** Drops lanes with nothing queued or in flight for {@code lane.idle-eviction}; returns how many. */
    public int evictIdle() {
        long idle = config.lane().idleEviction().toNanos();
        long now = System.nanoTime();
        int[] evicted = {0};
        for (String id : List.copyOf(lanes.keySet())) {
            lanes.computeIfPresent(id, (k, lane) -> {
                if (lane.idleFor(idle, now)) {
                    evicted[0]++;
                    metrics.laneClosed(k);
                    return null;
                }
                return lane;
            });
        }
        return evicted[0];
    }

    /**
     * Clean stop: no new attempt starts (queued deliveries are dropped; their leases are released by the
     * caller); waits up to {@code wait} for the attempts in flight to finish and hand their outcomes over.
     */
    public void stop(Duration wait) {
        stopping = true;
        long deadline = System.nanoTime() + wait.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Lane newLane(String endpointId) {
        // its fault-tolerance metrics are off (quarkus.fault-tolerance.metrics.enabled=false): ~10 meters per
        // endpoint, never removed, were most of a 10,000-endpoint fan-out's CPU and an unbounded number of series
        Guard breaker = Guard.create()
                .withDescription("webhook endpoint " + endpointId)
                .withCircuitBreaker()
                .requestVolumeThreshold(config.circuitBreaker().requestVolumeThreshold())
                .failureRatio(config.circuitBreaker().failureRatio())
                .delay(config.circuitBreaker().delay().toMillis(), ChronoUnit.MILLIS)
                .failOn(AttemptFailed.class)
                .done()
                .withThreadOffload(false)
                .build();
        int limit = limit(endpointId);
        int live = identity.liveReplicas();
        WebhookConfig.Lane.Concurrency c = config.lane().concurrency();
        Lane lane = new Lane(
                endpointId,
                new ConcurrencyLimit(
                        c.initial(),
                        c.min(),
                        c.max(),
                        c.overloadDecrease(),
                        c.latencyDecrease(),
                        c.latencyTolerance(),
                        c.latencySlack().toNanos(),
                        c.baselineWindow()),
                config.lane().maxHeldPerEndpoint(),
                new TokenBucket(
                        TokenBucket.share(limit, live),
                        TokenBucket.burstShare(limit, config.lane().burst(), live)),
                breaker,
                task -> heldTasks.get(task.id()) == task,
                this::attempt,
                (nanos, action) -> vertx.setTimer(Math.max(1, nanos / 1_000_000), id -> action.run()));
        metrics.laneOpened(endpointId, lane::concurrencyLimit);
        return lane;
    }

    private int limit(String endpointId) {
        Integer own = rateLimits.get(endpointId);
        return own != null ? own : config.lane().ratePerSecond();
    }

    private void applyRate(String endpointId, Lane lane) {
        int limit = limit(endpointId);
        int live = identity.liveReplicas();
        lane.rate(
                TokenBucket.share(limit, live),
                TokenBucket.burstShare(limit, config.lane().burst(), live));
    }

    // The life of one attempt, top to bottom: prepare, send, match the outcome, record it.

    /**
     * Called by a lane for each delivery it starts (one token of its rate limit spent, one of its in-flight slots
     * taken). Every path ends in {@link #done}, which frees the slot.
     */
    private void attempt(Lane lane, DeliveryTask task) {
        inFlight.incrementAndGet();
        attempting.add(task.id());
        EndpointRoute route = index.get(task.endpointId());
        if (route == null || stopping) { // deleted (its deliveries are gone with it), or stopping (lease released)
            vertx.runOnContext(v -> done(lane, task, 0, ConcurrencyLimit.Signal.NONE));
            return;
        }
        // no more attempts to one destination than the client has connections to it: beyond that an attempt waits
        // here, before its deadline starts (see HostGate)
        String destination = HostGate.destination(route.url());
        gate.enter(destination, () -> begin(lane, task, destination));
    }

    /** The attempt, once its destination has a free connection: prepare, send, match the outcome, record it. */
    private void begin(Lane lane, DeliveryTask task, String destination) {
        // prepare: is there (still) an endpoint to send to, and may this replica still send?
        EndpointRoute route = index.get(task.endpointId());
        if (route == null || stopping) { // deleted (its deliveries are gone with it), or stopping (lease released)
            gate.release(destination);
            vertx.runOnContext(v -> done(lane, task, 0, ConcurrencyLimit.Signal.NONE));
            return;
        }
        boolean fenced = System.nanoTime() - heartbeatNanos
                > config.scheduler().deadAfter().toNanos();
        if (!route.active() || fenced) {
            // paused or disabled: back to the table, claimed again once active. Without a heartbeat for
            // dead-after, the other replicas may already have taken this delivery over: release it unsent
            gate.release(destination);
            writer.add(DeliveryUpdate.deferred(task, Instant.now()));
            vertx.runOnContext(v -> done(lane, task, 0, ConcurrencyLimit.Signal.NONE));
            return;
        }
        metrics.started(task);
        DeliveryTracing.AttemptSpan span = tracing.attempt(task); // a shared no-op with tracing off
        long start = System.nanoTime();
        // send, through the endpoint's circuit breaker; then match the outcome and record it
        lane.throughBreaker(() -> send(route, task)).whenComplete((result, error) -> {
            gate.release(destination);
            ConcurrencyLimit.Signal signal = ConcurrencyLimit.Signal.NONE;
            try {
                DeliveryUpdate update = settle(task, result, error);
                signal = signal(update);
                writer.add(update);
                span.end(update);
            } catch (RuntimeException e) {
                LOG.errorf(e, "recording the outcome of delivery %d failed", task.id());
            } finally {
                done(lane, task, start, signal);
            }
        });
    }

    /** One HTTP attempt; anything but a 2xx fails the stage with {@link AttemptFailed}, for the breaker to count. */
    private CompletionStage<AttemptResult> send(EndpointRoute route, DeliveryTask task) {
        CompletableFuture<AttemptResult> future = new CompletableFuture<>();
        sender.send(route, task).onComplete(ar -> {
            if (ar.failed()) {
                future.completeExceptionally(new AttemptFailed(internalError(ar.cause())));
            } else if (ar.result().success()) {
                future.complete(ar.result());
            } else {
                future.completeExceptionally(new AttemptFailed(ar.result()));
            }
        });
        return future;
    }

    /** Matches what came back from the breaker to the delivery's outcome. */
    private DeliveryUpdate settle(DeliveryTask task, AttemptResult result, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CircuitBreakerOpenException) {
            // nothing sent, no attempt spent: due again when the breaker lets a trial through
            DeliveryUpdate deferred = DeliveryUpdate.deferred(
                    task, Instant.now().plus(config.circuitBreaker().delay()));
            metrics.outcome(deferred.outcome());
            return deferred;
        }
        AttemptResult attempt =
                cause instanceof AttemptFailed failed ? failed.result : cause != null ? internalError(cause) : result;
        Outcome outcome = policy.after(task, attempt);
        metrics.attempt(attempt, outcome);
        return new DeliveryUpdate(task, attempt, outcome);
    }

    /**
     * What an outcome says about the endpoint's load: a timeout, connection error, 429 or 5xx is overload; any
     * other answer counts by its latency; nothing sent (breaker open, refused address, DNS) says nothing.
     */
    static ConcurrencyLimit.Signal signal(DeliveryUpdate update) {
        AttemptResult a = update.attempt();
        if (a == null) {
            return ConcurrencyLimit.Signal.NONE;
        }
        if (a.statusCode() > 0) {
            return a.statusCode() == 429 || a.statusCode() >= 500
                    ? ConcurrencyLimit.Signal.OVERLOAD
                    : ConcurrencyLimit.Signal.ANSWERED;
        }
        return "timeout".equals(a.errorClass()) || "connection_error".equals(a.errorClass())
                ? ConcurrencyLimit.Signal.OVERLOAD
                : ConcurrencyLimit.Signal.NONE;
    }

    private static AttemptResult internalError(Throwable cause) {
        return AttemptResult.error(Instant.now(), 0, "internal_error", String.valueOf(cause.getMessage()));
    }

    private void done(Lane lane, DeliveryTask task, long startNanos, ConcurrencyLimit.Signal signal) {
        attempting.remove(task.id());
        if (heldTasks.remove(task.id(), task)) {
            held.decrementAndGet();
        }
        inFlight.decrementAndGet();
        lane.finished(startNanos, signal);
    }
}
