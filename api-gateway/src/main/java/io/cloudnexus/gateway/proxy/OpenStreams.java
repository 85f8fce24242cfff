package io.cloudnexus.gateway.proxy;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.domain.Credential;
import io.cloudnexus.gateway.problem.LogSafe;
import io.cloudnexus.gateway.service.CredentialVerifier;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The event streams this replica holds open (WebSocket and SSE), each with the credential it was
 * admitted with. Every {@code stream.recheck-interval} all their credentials are verified again in one
 * database round trip ({@link CredentialVerifier#stillValid}, never the key cache): a stream whose
 * credential no longer verifies is closed on its own event loop (WebSocket 4003, SSE ended). While the
 * database cannot be reached, streams stay open (like a cached key keeps working) and the next interval
 * checks again.
 */
@ApplicationScoped
public class OpenStreams {

    private static final Logger LOG = Logger.getLogger(OpenStreams.class);

    /** The kinds of stream, the gauge's tag values. */
    public enum Kind {
        WEBSOCKET,
        SSE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One open stream; {@link #close} when it ends, however it ends. */
    public final class Stream {
        private final Kind kind;
        private final Credential credential;
        private final Context context;
        private final Runnable revoke;

        private Stream(Kind kind, Credential credential, Context context, Runnable revoke) {
            this.kind = kind;
            this.credential = credential;
            this.context = context;
            this.revoke = revoke;
        }

        /** The stream ended: it is no longer counted or checked. Idempotent. */
        public void close() {
            if (open.remove(this)) {
                counts.get(kind).decrementAndGet();
            }
        }

        private void revoke() {
            context.runOnContext(v -> {
                if (open.contains(this)) {
                    close();
                    revoke.run();
                }
            });
        }
    }

    private final Vertx vertx;
    private final CredentialVerifier verifier;
    private final long intervalMillis;
    private final int maxStreams;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final Map<Kind, AtomicInteger> counts = new EnumMap<>(Kind.class);
    private final AtomicBoolean checking = new AtomicBoolean();
    private long timer = -1;

    public OpenStreams(Vertx vertx, CredentialVerifier verifier, GatewayMetrics metrics, GatewayConfig config) {
        this.vertx = vertx;
        this.verifier = verifier;
        this.intervalMillis = Math.max(100, config.stream().recheckInterval().toMillis());
        this.maxStreams = config.stream().maxConnections();
        for (Kind kind : Kind.values()) {
            AtomicInteger count = new AtomicInteger();
            counts.put(kind, count);
            metrics.openStreams(kind.tag(), count::get);
        }
    }

    void start(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(intervalMillis, id -> recheck());
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Whether this replica holds as many streams of {@code kind} as it may. */
    public boolean full(Kind kind) {
        return counts.get(kind).get() >= maxStreams;
    }

    /**
     * Registers a stream opened on the current Vert.x context; {@code revoke} runs there when its
     * credential no longer verifies (the stream is already unregistered then).
     */
    public Stream open(Kind kind, Credential credential, Runnable revoke) {
        Stream stream = new Stream(kind, credential, Vertx.currentContext(), revoke);
        open.add(stream);
        counts.get(kind).incrementAndGet();
        return stream;
    }

    /** The number of open streams of {@code kind}. */
    public int count(Kind kind) {
        return counts.get(kind).get();
    }

    /** Verifies every open stream's credential once (one round at a time) and revokes those that fail. */
    void recheck() {
        List<Stream> streams = List.copyOf(open);
        if (streams.isEmpty() || !checking.compareAndSet(false, true)) {
            return;
        }
        Set<Credential> credentials = streams.stream().map(s -> s.credential).collect(Collectors.toSet());
        vertx.executeBlocking(() -> verifier.stillValid(credentials), false).onComplete(ar -> {
            checking.set(false);
            if (ar.failed()) {
                LOG.warnf(
                        "Could not re-check the credentials of %d open streams (kept open, checked again in %d ms): %s",
                        streams.size(), intervalMillis, LogSafe.clean(String.valueOf(ar.cause())));
                return;
            }
            Set<Credential> valid = ar.result();
            for (Stream stream : streams) {
                if (!valid.contains(stream.credential)) {
                    LOG.debugf(
                            "Closing a %s stream of account %s: its credential no longer verifies",
                            stream.kind.tag(), stream.credential.accountId());
                    stream.revoke();
                }
            }
        });
    }
}
