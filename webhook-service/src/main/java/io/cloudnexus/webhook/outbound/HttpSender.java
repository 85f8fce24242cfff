package io.cloudnexus.webhook.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.AttemptResult;
import io.cloudnexus.webhook.delivery.DeliveryTask;
import io.cloudnexus.webhook.delivery.EndpointRoute;
import io.cloudnexus.webhook.security.Signer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Makes one delivery attempt with the Vert.x HTTP client (non-blocking): resolves the endpoint's host,
 * checks every address with {@link AddressPolicy}, connects to the checked address (Host header and SNI
 * keep the original name, so there is no DNS-rebinding gap), signs, posts, never follows redirects,
 * enforces the total timeout and keeps at most the configured excerpt of the response body.
 */
@ApplicationScoped
public class HttpSender {

    private final Vertx vertx;
    private final AddressPolicy policy;
    private final HttpClient client;
    private final long timeoutMillis;
    private final int excerptBytes;
    private final String userAgent;

    public HttpSender(Vertx vertx, AddressPolicy policy, WebhookConfig config) {
        this.vertx = vertx;
        this.policy = policy;
        this.timeoutMillis = config.outbound().timeout().toMillis();
        this.excerptBytes = config.outbound().responseExcerptBytes();
        this.userAgent = config.userAgent();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setMaxPoolSize(config.outbound().maxConnectionsPerHost())
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setForceSni(true)
                .setVerifyHost(true)
                .setConnectTimeout((int) timeoutMillis)
                .setName("webhook-delivery"));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public Future<AttemptResult> send(EndpointRoute route, DeliveryTask task) {
        Instant at = Instant.now();
        long start = System.nanoTime();
        URI url = route.url();
        String host = url.getHost();
        return resolve(host).transform(resolved -> {
            if (resolved.failed()) {
                return Future.succeededFuture(AttemptResult.error(at, millisSince(start), "dns_error",
                        "cannot resolve " + host));
            }
            InetAddress address = resolved.result();
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                return Future.succeededFuture(AttemptResult.error(at, millisSince(start), "refused_address", refusal.get()));
            }
            return post(route, task, url, address, at, start);
        });
    }

    private Future<AttemptResult> post(EndpointRoute route, DeliveryTask task, URI url, InetAddress address,
            Instant at, long start) {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(url.getHost()).setPort(port).setSsl(https).setURI(path)
                .setFollowRedirects(false).setConnectTimeout(timeoutMillis);
        headers(options, route, task);
        Promise<AttemptResult> promise = Promise.promise();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        long[] timer = { -1 };
        long[] sentAt = { start };
        client.request(options).compose(req -> {
            sentAt[0] = System.nanoTime();
            // the total timeout runs from the moment a connection is ours (connecting has its own timeout;
            // waiting for a pooled connection to the same host is not the endpoint's time)
            request.set(req);
            timer[0] = vertx.setTimer(timeoutMillis, id -> {
                if (done.compareAndSet(false, true)) {
                    req.reset(0, new TimeoutException());
                    promise.complete(AttemptResult.error(at, millisSince(sentAt[0]), "timeout",
                            "no complete response within " + timeoutMillis + " ms"));
                }
            });
            return req.send(Buffer.buffer(task.body()));
        }).onComplete(sent -> {
            if (sent.failed()) {
                finish(done, timer[0], promise, AttemptResult.error(at, millisSince(sentAt[0]), "connection_error",
                        String.valueOf(sent.cause().getMessage())));
                return;
            }
            HttpClientResponse response = sent.result();
            Buffer excerpt = Buffer.buffer();
            try {
                response.handler(chunk -> {
                    int room = excerptBytes - excerpt.length();
                    if (room > 0) {
                        excerpt.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
                    }
                });
                response.end().onComplete(end -> finish(done, timer[0], promise, end.succeeded()
                        ? new AttemptResult(at, response.statusCode(), millisSince(sentAt[0]), null, text(excerpt),
                                response.getHeader("Retry-After"))
                        : AttemptResult.error(at, millisSince(sentAt[0]), "connection_error",
                                String.valueOf(end.cause().getMessage()))));
            } catch (IllegalStateException alreadyEnded) {
                // the whole response arrived on the connection's event loop before this callback ran: status
                // and headers are known, the body was not kept
                finish(done, timer[0], promise, new AttemptResult(at, response.statusCode(), millisSince(sentAt[0]), null,
                        null, response.getHeader("Retry-After")));
            }
        });
        return promise.future();
    }

    private void headers(RequestOptions options, EndpointRoute route, DeliveryTask task) {
        long timestamp = System.currentTimeMillis() / 1000;
        List<String> hex = new ArrayList<>(2);
        List<String> standard = new ArrayList<>(2);
        for (String secret : route.signingSecrets(Instant.now())) {
            hex.add(Signer.hex(secret, task.body()));
            standard.add(Signer.standard(secret, task.eventId(), timestamp, task.body()));
        }
        String hexValue = String.join(" ", hex);
        options.putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", userAgent)
                .putHeader("X-CloudNexus-Event", task.eventType())
                .putHeader("X-CloudNexus-Delivery", DeliveryTask.publicId(task.id()))
                .putHeader("X-CloudNexus-Signature", hexValue)
                .putHeader("CloudNexus-Signature", hexValue)
                .putHeader("webhook-id", task.eventId())
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", String.join(" ", standard));
    }

    private void finish(AtomicBoolean done, long timer, Promise<AttemptResult> promise, AttemptResult result) {
        if (done.compareAndSet(false, true)) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            promise.complete(result);
        }
    }

    private Future<InetAddress> resolve(String host) {
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (isIpLiteral(literal)) {
            try {
                return Future.succeededFuture(InetAddress.getByName(literal));
            } catch (UnknownHostException e) {
                return Future.failedFuture(e);
            }
        }
        return vertx.executeBlocking(() -> InetAddress.getByName(literal), false);
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static String text(Buffer excerpt) {
        return excerpt.length() == 0 ? null : new String(excerpt.getBytes(), StandardCharsets.UTF_8).replace('\u0000', ' ');
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
