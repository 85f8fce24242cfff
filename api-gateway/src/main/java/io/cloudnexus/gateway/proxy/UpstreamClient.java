package io.cloudnexus.gateway.proxy;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * The Vert.x clients the gateway forwards with: the pooled keep-alive HTTP client of ordinary requests,
 * and for event streams, which hold a connection for as long as they are open, a separate HTTP client
 * (SSE) and a WebSocket client, each with up to {@code stream.max-connections} connections, so streams
 * never take the pooled connections of other requests.
 */
@ApplicationScoped
public class UpstreamClient {

    private final HttpClient client;
    private final HttpClient streams;
    private final WebSocketClient webSockets;

    public UpstreamClient(Vertx vertx, GatewayConfig config) {
        int connectTimeout = (int) config.upstream().connectTimeout().toMillis();
        int maxStreams = config.stream().maxConnections();
        this.client = vertx.createHttpClient(
                options(connectTimeout).setKeepAliveTimeout(30),
                new PoolOptions().setHttp1MaxSize(config.upstream().poolSize()));
        this.streams = vertx.createHttpClient(
                options(connectTimeout).setKeepAliveTimeout(5),
                new PoolOptions().setHttp1MaxSize(maxStreams).setMaxWaitQueueSize(0));
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setConnectTimeout(connectTimeout)
                .setTcpNoDelay(true)
                .setMaxConnections(maxStreams));
    }

    private static HttpClientOptions options(int connectTimeout) {
        return new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false)
                .setConnectTimeout(connectTimeout);
    }

    public HttpClient client() {
        return client;
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
        streams.close();
        webSockets.close();
    }
}
