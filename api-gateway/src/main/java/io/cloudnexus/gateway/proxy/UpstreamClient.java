package io.cloudnexus.gateway.proxy;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/** The pooled keep-alive Vert.x HTTP client the gateway forwards with. */
@ApplicationScoped
public class UpstreamClient {

    private final HttpClient client;

    public UpstreamClient(Vertx vertx, GatewayConfig config) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false)
                .setConnectTimeout((int) config.upstream().connectTimeout().toMillis())
                .setKeepAliveTimeout(30);
        this.client = vertx.createHttpClient(
                options, new PoolOptions().setHttp1MaxSize(config.upstream().poolSize()));
    }

    public HttpClient client() {
        return client;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
