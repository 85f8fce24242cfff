package io.cloudnexus.gateway.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * The Vert.x clients the gateway forwards with: the pooled keep-alive HTTP client of ordinary requests,
 * one per event loop (see {@link #client()}), and for event streams, which hold a connection for as long as they are open, a separate HTTP client
 * (SSE) and a WebSocket client, each with up to {@code stream.max-connections} connections, so streams
 * never take the pooled connections of other requests.
 */
@ApplicationScoped
public class UpstreamClient {

    private final Vertx vertx;
    private final int connectTimeout;
    private final int poolSize;
    /** The ordinary client of each event loop (thread) that forwards; the few event loops bound its size. */
    private final Map<Thread, HttpClient> perEventLoop = new ConcurrentHashMap<>();
    /** The ordinary client of callers off the event loops (worker threads). */
    private final HttpClient client;

    private final HttpClient streams;
    private final WebSocketClient webSockets;

    public UpstreamClient(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.connectTimeout = (int) config.upstream().connectTimeout().toMillis();
        this.poolSize = config.upstream().poolSize();
        int maxStreams = config.stream().maxConnections();
        this.client = pooled();
        this.streams = vertx.createHttpClient(
                options(connectTimeout).setKeepAliveTimeout(5),
                new PoolOptions().setHttp1MaxSize(maxStreams).setMaxWaitQueueSize(0));
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setConnectTimeout(connectTimeout)
                .setTcpNoDelay(true)
                .setMaxConnections(maxStreams));
    }

    private HttpClient pooled() {
        return vertx.createHttpClient(
                options(connectTimeout).setKeepAliveTimeout(30), new PoolOptions().setHttp1MaxSize(poolSize));
    }

    private static HttpClientOptions options(int connectTimeout) {
        return new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false)
                .setConnectTimeout(connectTimeout);
    }

    /**
     * The pooled client for the caller's thread: on an event loop, that event loop's own client, whose connections
     * were all opened from it and so live on it. A single client shared by all event loops lends a connection of
     * one event loop to a request of another, and each such request then hops between the two threads three times
     * (stream creation, the write, the response: task queue and wake-up each time); measured, those hops were a
     * fifth of the event loops' time under load (docs/performance.md, "Gateway: where the time goes").
     */
    public HttpClient client() {
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            return client;
        }
        return perEventLoop.computeIfAbsent(Thread.currentThread(), thread -> pooled());
    }

    /** The client of SSE streams. */
    public HttpClient streams() {
        return streams;
    }

    /** The client of WebSocket streams. */
    public WebSocketClient webSockets() {
        return webSockets;
    }

    @PreDestroy
    void close() {
        client.close();
        perEventLoop.values().forEach(HttpClient::close);
        streams.close();
        webSockets.close();
    }
}
