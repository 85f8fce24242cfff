package io.cloudnexus.common.rest;

import jakarta.inject.Singleton;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Plain-text HTTP is HTTP/1.1 only: an {@code Upgrade: h2c} offer (the JDK's HttpClient makes one by default) is
 * ignored and answered over HTTP/1.1. With the upgrade accepted, a large answer (the OpenAPI document) sometimes
 * reached such a client as HTTP/1.1 bytes on the upgraded connection, which it read as broken HTTP/2 frames.
 * HTTP/2 over TLS (ALPN) is unchanged.
 */
@Singleton
public class NoCleartextUpgrade implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
