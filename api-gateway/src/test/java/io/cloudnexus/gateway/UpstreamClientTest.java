package io.cloudnexus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.gateway.proxy.UpstreamClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/**
 * The pooled upstream client is per event loop: a request is forwarded over a connection of its own event
 * loop, never one lent by another event loop (each such request hopped between the two threads).
 */
@QuarkusTest
@GatewayTest
class UpstreamClientTest {

    @Inject
    UpstreamClient upstream;

    @Inject
    Vertx vertx;

    @Test
    void eachEventLoopHasItsOwnPooledClient() throws Exception {
        Context first = newContext();
        Thread firstThread = on(first, Thread::currentThread);
        Context second = first;
        // each new context is bound to the next event loop, round robin: find one of another event loop
        for (int i = 0; i < 64 && on(second, Thread::currentThread) == firstThread; i++) {
            second = newContext();
        }
        assertThat(on(second, Thread::currentThread)).isNotSameAs(firstThread);

        HttpClient ofFirst = on(first, upstream::client);
        assertThat(on(first, upstream::client)).isSameAs(ofFirst);
        assertThat(on(second, upstream::client)).isNotSameAs(ofFirst);
        // off the event loops (a worker thread, the test thread): the shared client
        assertThat(upstream.client()).isNotSameAs(ofFirst).isNotSameAs(on(second, upstream::client));
    }

    /** A new event-loop context (a thread outside Vert.x keeps the one it created: each from a new thread). */
    private Context newContext() throws Exception {
        CompletableFuture<Context> context = new CompletableFuture<>();
        new Thread(() -> context.complete(vertx.getOrCreateContext())).start();
        return context.get(5, TimeUnit.SECONDS);
    }

    private static <T> T on(Context context, Supplier<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> result.complete(work.get()));
        return result.get(5, TimeUnit.SECONDS);
    }
}
