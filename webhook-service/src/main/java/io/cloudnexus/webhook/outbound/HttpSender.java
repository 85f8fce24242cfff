package io.cloudnexus.webhook.outbound;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLHandshakeException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.common.text.StorableText;
import io.cloudnexus.webhook.config.WebhookConfig;
import io.cloudnexus.webhook.delivery.AttemptResult;
import io.cloudnexus.webhook.delivery.DeliveryTask;
import io.cloudnexus.webhook.delivery.EndpointRoute;
import io.cloudnexus.webhook.security.Signer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.tracing.TracingPolicy;

/**
 * Makes one delivery attempt with the Vert.x HTTP client (non-blocking), all of it within ONE deadline
 * ({@code outbound.timeout}, measured from the start of the attempt): resolves the endpoint's host on the
 * dedicated {@link HostResolver}, checks EVERY resolved address with {@link AddressPolicy} (any refused
 * address refuses the attempt), connects to the first of those checked addresses (Host header and SNI keep
 * the original name, so there is no DNS-rebinding gap), signs, posts, never follows redirects, and keeps
 * at most the configured excerpt of the response body.
 *
 * <p>Against hostile receivers: once the status is known, the outcome is that status; the body is read
 * only until the excerpt is full, the body ends or the deadline comes, whichever is first, and a connection
 * whose body was not read to its end is closed (never drained). A response head that does not complete by
 * the deadline (slow status line, endless headers), a stalled connect or TLS handshake is a {@code timeout};
 * an oversized status line or header block is a {@code connection_error}. Every string from the receiver is
 * made storable by {@link AttemptResult}.
 */
@ApplicationScoped
public class HttpSender {

    private static final Logger LOG = Logger.getLogger(HttpSender.class);

    private enum Phase {
        RESOLVING,
        CONNECTING,
        AWAITING_RESPONSE,
        READING_BODY
    }

    // header names (and the constant values) as pre-encoded ASCII strings: the same bytes on the wire, without
    // validating and hashing each name again on every attempt
    private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence USER_AGENT = HttpHeaders.createOptimized("User-Agent");
    private static final CharSequence EVENT = HttpHeaders.createOptimized("X-CloudNexus-Event");
    private static final CharSequence DELIVERY = HttpHeaders.createOptimized("X-CloudNexus-Delivery");
    private static final CharSequence HEX = HttpHeaders.createOptimized(Signer.HEX_HEADER);
    private static final CharSequence HEX_UNPREFIXED = HttpHeaders.createOptimized(Signer.HEX_HEADER_UNPREFIXED);
    private static final CharSequence PREVIOUS_HEX = HttpHeaders.createOptimized(Signer.PREVIOUS_HEX_HEADER);
    private static final CharSequence WEBHOOK_ID = HttpHeaders.createOptimized("webhook-id");
    private static final CharSequence WEBHOOK_TIMESTAMP = HttpHeaders.createOptimized("webhook-timestamp");
    private static final CharSequence STANDARD = HttpHeaders.createOptimized(Signer.STANDARD_HEADER);

    private final Vertx vertx;
    private final AddressPolicy policy;
    private final HostResolver resolver;
    private final HttpClient client;
    private final long timeoutMillis;
    private final int excerptBytes;
    private final CharSequence userAgent;

    public HttpSender(Vertx vertx, AddressPolicy policy, HostResolver resolver, WebhookConfig config) {
        this.vertx = vertx;
        this.policy = policy;
        this.resolver = resolver;
        this.timeoutMillis = Math.max(1, config.outbound().timeout().toMillis());
        this.excerptBytes = Math.max(0, config.outbound().responseExcerptBytes());
        this.userAgent = HttpHeaders.createOptimized(config.userAgent());
        this.client = vertx.httpClientBuilder()
                // the builder sizes the pool from PoolOptions only (HttpClientOptions.maxPoolSize is ignored there:
                // the pool was 5 connections per destination, whatever max-connections-per-host said)
                .with(new PoolOptions().setHttp1MaxSize(config.outbound().maxConnectionsPerHost()))
                .with(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setForceSni(true)
                        .setVerifyHost(true)
                        .setConnectTimeout((int) timeoutMillis)
                        .setSslHandshakeTimeout(timeoutMillis)
                        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                        .setMaxInitialLineLength(config.outbound().maxInitialLineLength())
                        .setMaxHeaderSize(config.outbound().maxHeaderSize())
                        .setName("webhook-delivery")
                        // no platform trace context to customers (docs/tracing.md): the Dispatcher's attempt span
                        // is this request's span
                        .setTracingPolicy(TracingPolicy.IGNORE))
                // a receiver's malformed reply fails its attempt (and is recorded, sanitised); without this
                // handler Vert.x would also log the raw exception message, which quotes the receiver's bytes
                .withConnectHandler(connection -> connection.exceptionHandler(e -> LOG.debugf(
                        "delivery connection to %s failed: %s",
                        connection.remoteAddress(), StorableText.line(String.valueOf(e.getMessage()), 300))))
                .build();
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Starts one attempt. Called on an event loop (a lane starting its next delivery when one finished) it starts
     * right there, on that loop's context; from any other thread (the consumer, a claim) it is handed to a context.
     */
    public Future<AttemptResult> send(EndpointRoute route, DeliveryTask task) {
        Context context = vertx.getOrCreateContext();
        Attempt attempt = new Attempt(context, route, task);
        if (context.isEventLoopContext() && Vertx.currentContext() == context) {
            attempt.begin();
        } else {
            context.runOnContext(v -> attempt.begin());
        }
        return attempt.promise.future();
    }

    /** One attempt's state; every step runs on {@link #context}. */
    private final class Attempt {
        final Context context;
        final EndpointRoute route;
        final DeliveryTask task;
        final URI url;
        final String host;
        final Instant at = Instant.now();
        final long start = System.nanoTime();
        final long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        final Promise<AttemptResult> promise = Promise.promise();
        final AtomicBoolean done = new AtomicBoolean();
        final Buffer excerpt = Buffer.buffer();
        Phase phase = Phase.RESOLVING;
        long timer = -1;
        HttpClientRequest request;
        HttpClientResponse response;

        Attempt(Context context, EndpointRoute route, DeliveryTask task) {
            this.context = context;
            this.route = route;
            this.task = task;
            this.url = route.url();
            this.host = url.getHost() == null ? "" : url.getHost();
        }

        /** Runs on {@link #context}. */
        void begin() {
            timer = vertx.setTimer(timeoutMillis, id -> deadlineReached());
            CompletableFuture<List<InetAddress>> lookup = resolver.resolve(host, deadline);
            if (lookup.isDone() && !lookup.isCompletedExceptionally()) {
                // an IP literal or a cached answer: no hop back to the context, which is this thread
                resolved(lookup.join(), null);
            } else {
                lookup.whenComplete((addresses, error) -> context.runOnContext(v -> resolved(addresses, error)));
            }
        }

        void resolved(List<InetAddress> addresses, Throwable error) {
            if (done.get()) {
                return;
            }
            if (error != null) {
                Throwable cause =
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                String why = cause instanceof UnknownHostException
                        ? "cannot resolve " + host
                        : cause instanceof HostResolver.Busy
                                ? cause.getMessage()
                                : cause instanceof TimeoutException
                                        ? noDnsAnswer()
                                        : "cannot resolve " + host + ": " + cause.getMessage();
                finish(AttemptResult.error(at, millisSinceStart(), "dns_error", why));
                return;
            }
            for (InetAddress address : addresses) {
                Optional<String> refusal = policy.refusal(address);
                if (refusal.isPresent()) {
                    AttemptResult refused = AttemptResult.error(
                            at,
                            millisSinceStart(),
                            "refused_address",
                            addresses.size() > 1
                                    ? refusal.get() + " (one of the " + addresses.size() + " addresses of " + host + ")"
                                    : refusal.get());
                    // completed on a later turn of the loop: a lane that starts its next attempts when one finishes
                    // must not recurse through a queue of deliveries refused on the spot
                    context.runOnContext(v -> finish(refused));
                    return;
                }
            }
            try {
                connect(addresses.get(0));
            } catch (RuntimeException e) {
                // e.g. a header value the client refuses: the attempt fails now instead of waiting for its deadline
                context.runOnContext(v -> failed(e));
            }
        }

        void connect(InetAddress address) {
            phase = Phase.CONNECTING;
            boolean https = "https".equalsIgnoreCase(url.getScheme());
            int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
            String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                    + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                    .setHost(url.getHost())
                    .setPort(port)
                    .setSsl(https)
                    .setURI(path)
                    .setFollowRedirects(false)
                    // getting a connection (pool wait, TCP connect, TLS handshake) gets what is left of the deadline
                    .setConnectTimeout(Math.max(1, remainingMillis()));
            headers(options);
            client.request(options).onComplete(obtained -> {
                if (obtained.failed()) {
                    failed(obtained.cause());
                    return;
                }
                HttpClientRequest req = obtained.result();
                if (done.get()) { // the deadline came while connecting
                    closeConnection(req);
                    return;
                }
                request = req;
                phase = Phase.AWAITING_RESPONSE;
                req.send(Buffer.buffer(task.body())).onComplete(sent -> {
                    if (sent.failed()) {
                        failed(sent.cause());
                    } else {
                        responded(sent.result());
                    }
                });
            });
        }

        void responded(HttpClientResponse resp) {
            if (done.get()) {
                return;
            }
            response = resp;
            phase = Phase.READING_BODY;
            try {
                resp.handler(chunk -> {
                    int room = excerptBytes - excerpt.length();
                    if (room > 0) {
                        excerpt.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
                    }
                    if (excerpt.length() >= excerptBytes) {
                        // the status is known and the excerpt full: the rest is not downloaded
                        finishWithStatus(true);
                    }
                });
                // a body that breaks off after the status line still has that status as its outcome
                resp.end().onComplete(end -> finishWithStatus(end.failed()));
            } catch (IllegalStateException alreadyEnded) {
                // the whole response arrived on the connection's event loop before this callback ran: status
                // and headers are known, the body was not kept
                finishWithStatus(false);
            }
        }

        void deadlineReached() {
            timer = -1;
            if (done.get()) {
                return;
            }
            switch (phase) {
                case RESOLVING -> finish(AttemptResult.error(at, millisSinceStart(), "dns_error", noDnsAnswer()));
                case READING_BODY -> finishWithStatus(true); // the status decides; the body is cut off
                default -> {
                    if (finish(AttemptResult.error(
                                    at,
                                    millisSinceStart(),
                                    "timeout",
                                    "no response within " + timeoutMillis + " ms (" + phaseText() + ")"))
                            && request != null) {
                        closeConnection(request);
                    }
                }
            }
        }

        void failed(Throwable cause) {
            if (done.get()) {
                return;
            }
            boolean timedOut = cause instanceof TimeoutException
                    || cause instanceof io.netty.channel.ConnectTimeoutException
                    || cause instanceof SSLHandshakeException
                            && String.valueOf(cause.getMessage()).contains("timed out")
                    || remainingMillis() <= 0;
            String message = cause instanceof ConnectException
                    ? "cannot connect: " + cause.getMessage()
                    : String.valueOf(cause.getMessage());
            finish(AttemptResult.error(
                    at,
                    millisSinceStart(),
                    timedOut ? "timeout" : "connection_error",
                    timedOut
                            ? "no response within " + timeoutMillis + " ms (" + phaseText() + "): " + message
                            : message));
        }

        /** Ends the attempt with the response's status; {@code cutOff}: the body was not read to its end. */
        void finishWithStatus(boolean cutOff) {
            HttpClientResponse resp = response;
            if (resp == null) {
                return;
            }
            AttemptResult result = new AttemptResult(
                    at,
                    resp.statusCode(),
                    millisSinceStart(),
                    null,
                    excerpt.length() == 0 ? null : StorableText.ofUtf8(excerpt.getBytes(), excerptBytes),
                    resp.getHeader("Retry-After"));
            if (finish(result) && cutOff && request != null) {
                closeConnection(request);
            }
        }

        /** Completes the attempt once; false if it was already complete. */
        boolean finish(AttemptResult result) {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            promise.complete(result);
            return true;
        }

        String noDnsAnswer() {
            return "no DNS answer for " + host + " within " + timeoutMillis + " ms";
        }

        String phaseText() {
            return switch (phase) {
                case RESOLVING -> "resolving";
                case CONNECTING -> "connecting";
                case AWAITING_RESPONSE -> "waiting for the response head";
                case READING_BODY -> "reading the body";
            };
        }

        long remainingMillis() {
            return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        }

        long millisSinceStart() {
            return (System.nanoTime() - start) / 1_000_000;
        }

        private void headers(RequestOptions options) {
            long timestamp = System.currentTimeMillis() / 1000;
            List<String> secrets = route.signingSecrets(Instant.now());
            List<String> standard = new ArrayList<>(secrets.size());
            for (String secret : secrets) {
                standard.add(Signer.standard(secret, task.eventId(), timestamp, task.body()));
            }
            // the hex headers carry exactly ONE signature, the newest secret's (receivers compare the whole
            // header); during a rotation the previous secret's goes in its own header
            String hex = Signer.hex(secrets.get(0), task.body());
            options.putHeader(CONTENT_TYPE, APPLICATION_JSON)
                    .putHeader(USER_AGENT, userAgent)
                    .putHeader(EVENT, task.eventType())
                    .putHeader(DELIVERY, task.publicId())
                    .putHeader(HEX, hex)
                    .putHeader(HEX_UNPREFIXED, hex)
                    .putHeader(WEBHOOK_ID, task.eventId())
                    .putHeader(WEBHOOK_TIMESTAMP, Long.toString(timestamp))
                    .putHeader(STANDARD, standard.size() == 1 ? standard.get(0) : String.join(" ", standard));
            if (secrets.size() > 1) {
                options.putHeader(PREVIOUS_HEX, Signer.hex(secrets.get(1), task.body()));
            }
        }
    }

    /** Closes the connection of a request whose response is not read to its end (never returned to the pool). */
    private static void closeConnection(HttpClientRequest request) {
        try {
            if (!request.reset(0, new TimeoutException("attempt over"))) {
                request.connection().close();
            }
        } catch (RuntimeException ignored) {
            // already closed
        }
    }
}
