package io.cloudnexus.webhook.delivery;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.outbound.HttpSender;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.core.Vertx;

/**
 * The in-memory fast path: takes committed deliveries, puts each into its endpoint's {@link Lane} and
 * attempts it through that endpoint's circuit breaker; every outcome goes to the {@link ResultWriter}.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final TypeLiteral<CompletionStage<AttemptResult>> RESULT = new TypeLiteral<>() {
    };

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final EndpointIndex index;
    private final HttpSender sender;
    private final RetryPolicy policy;
    private final ResultWriter writer;
    private final DeliveryMetrics metrics;
    private final Vertx vertx;
    private final WebhookConfig config;

    public Dispatcher(EndpointIndex index, HttpSender sender, RetryPolicy policy, ResultWriter writer,
            DeliveryMetrics metrics, Vertx vertx, WebhookConfig config) {
        this.index = index;
        this.sender = sender;
        this.policy = policy;
        this.writer = writer;
        this.metrics = metrics;
        this.vertx = vertx;
        this.config = config;
        metrics.inMemory(held);
    }

    /** Deliveries held in memory (queued or in flight). */
    public int held() {
        return held.get();
    }

    /** Hands committed (and leased) deliveries to their lanes. */
    public void submit(List<DeliveryTask> tasks) {
        Map<String, List<DeliveryTask>> byEndpoint = new LinkedHashMap<>();
        for (DeliveryTask task : tasks) {
            byEndpoint.computeIfAbsent(task.endpointId(), k -> new java.util.ArrayList<>()).add(task);
        }
        held.addAndGet(tasks.size());
        byEndpoint.forEach((endpointId, list) -> {
            Lane lane = lanes.computeIfAbsent(endpointId, this::newLane);
            lane.offer(list, task -> attempt(lane, task), nanos -> wakeup(lane, nanos));
        });
    }

    private Lane newLane(String endpointId) {
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
        return new Lane(endpointId, config.lane().maxInFlight(),
                new TokenBucket(config.lane().ratePerSecond(), config.lane().burst()), breaker);
    }

    private void wakeup(Lane lane, long nanos) {
        vertx.setTimer(Math.max(1, nanos / 1_000_000), id -> {
            lane.woken();
            lane.pump(task -> attempt(lane, task), n -> wakeup(lane, n));
        });
    }

    private void attempt(Lane lane, DeliveryTask task) {
        EndpointRoute route = index.get(task.endpointId());
        if (route == null) { // deleted: its deliveries are gone with it
            vertx.runOnContext(v -> done(lane));
            return;
        }
        if (!route.active()) { // paused or disabled: back to the table, claimed again once active
            writer.add(new Outcome(task, null, unfinishedStatus(task), Instant.now(), false));
            vertx.runOnContext(v -> done(lane));
            return;
        }
        metrics.started(task);
        CompletionStage<AttemptResult> stage;
        try {
            stage = lane.breaker.get(() -> send(route, task), RESULT);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((result, error) -> {
            try {
                complete(task, result, error);
            } catch (RuntimeException e) {
                LOG.errorf(e, "recording the outcome of delivery %d failed", task.id());
            } finally {
                done(lane);
            }
        });
    }

    private CompletionStage<AttemptResult> send(EndpointRoute route, DeliveryTask task) {
        CompletableFuture<AttemptResult> future = new CompletableFuture<>();
        sender.send(route, task).onComplete(ar -> {
            if (ar.failed()) {
                future.completeExceptionally(new AttemptFailed(AttemptResult.error(Instant.now(), 0,
                        "internal_error", String.valueOf(ar.cause().getMessage()))));
            } else if (ar.result().success()) {
                future.complete(ar.result());
            } else {
                future.completeExceptionally(new AttemptFailed(ar.result()));
            }
        });
        return future;
    }

    private void complete(DeliveryTask task, AttemptResult result, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CircuitBreakerOpenException) {
            metrics.outcome("deferred");
            writer.add(new Outcome(task, null, unfinishedStatus(task),
                    Instant.now().plus(config.circuitBreaker().delay()), false));
            return;
        }
        AttemptResult attempt = result;
        if (cause instanceof AttemptFailed failed) {
            attempt = failed.result;
        } else if (cause != null) {
            attempt = AttemptResult.error(Instant.now(), 0, "internal_error", String.valueOf(cause.getMessage()));
        }
        Outcome outcome = policy.after(task, attempt);
        metrics.attempt(attempt, outcome, task);
        writer.add(outcome);
    }

    private void done(Lane lane) {
        held.decrementAndGet();
        lane.finished(task -> attempt(lane, task), nanos -> wakeup(lane, nanos));
    }

    private static String unfinishedStatus(DeliveryTask task) {
        return task.attempts() == 0 ? "pending" : "retrying";
    }
}
