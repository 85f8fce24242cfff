package io.cloudnexus.webhook.outbound;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.cloudnexus.webhook.config.Configs;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.AttemptResult;
import io.cloudnexus.webhook.delivery.DeliveryTask;
import io.cloudnexus.webhook.delivery.EndpointRoute;
import io.cloudnexus.webhook.domain.EndpointStatus;
import io.vertx.core.Vertx;

/**
 * A real {@link HttpSender} (real Vert.x client, real {@link HostResolver} pool, real {@link AddressPolicy})
 * outside Quarkus, with a {@link ScriptedNameLookup}, so each test picks its own deadline and receivers.
 */
final class SenderFixture implements AutoCloseable {

    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final AtomicLong IDS = new AtomicLong(1);

    final Vertx vertx = Vertx.vertx();
    final ScriptedNameLookup lookup = new ScriptedNameLookup();
    final WebhookConfig config;
    final HostResolver resolver;
    final HttpSender sender;

    /** Loopback allowed, http allowed, no DNS cache, plus {@code keyValues}. */
    SenderFixture(String... keyValues) {
        List<String> all = new ArrayList<>(List.of(
                "cloudnexus.webhooks.outbound.allow-private", "true",
                "cloudnexus.webhooks.outbound.allow-http", "true",
                "cloudnexus.webhooks.outbound.dns-cache-ttl", "0s"));
        all.addAll(List.of(keyValues));
        config = Configs.webhookConfig(all.toArray(String[]::new));
        resolver = new HostResolver(lookup, config);
        sender = new HttpSender(vertx, new AddressPolicy(config), resolver, config);
    }

    long timeoutMillis() {
        return config.outbound().timeout().toMillis();
    }

    /** Starts one attempt to {@code url}. */
    CompletableFuture<AttemptResult> send(String url) {
        EndpointRoute route = new EndpointRoute(
                "whk_test", "acc_test", URI.create(url), List.of("*"), EndpointStatus.ACTIVE, SECRET, null, null);
        long id = IDS.getAndIncrement();
        DeliveryTask task = new DeliveryTask(
                id,
                "evt_test" + id,
                "server.created",
                "whk_test",
                "{\"event\":\"server.created\"}".getBytes(StandardCharsets.UTF_8),
                0,
                0,
                System.nanoTime(),
                "test-owner");
        return sender.send(route, task).toCompletionStage().toCompletableFuture();
    }

    /** One attempt, waited for; {@link Timed#wallMillis()} is measured around it from outside the sender. */
    Timed attempt(String url) throws Exception {
        long start = System.nanoTime();
        AttemptResult result = send(url).get(30, TimeUnit.SECONDS);
        return new Timed(result, (System.nanoTime() - start) / 1_000_000);
    }

    record Timed(AttemptResult result, long wallMillis) {}

    static Duration millis(long ms) {
        return Duration.ofMillis(ms);
    }

    @Override
    public void close() {
        lookup.releaseAll();
        sender.close();
        resolver.close();
        vertx.close();
    }
}
