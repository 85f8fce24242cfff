package io.cloudnexus.webhook.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.config.WebhookConfig;

/**
 * Resolves endpoint hosts to ALL their addresses, for both the URL check at creation ({@link UrlValidator})
 * and every attempt ({@link HttpSender}), so both see the same answer set.
 *
 * <ul>
 * <li>Lookups run on a dedicated, bounded pool ({@code outbound.resolver-threads} threads, at most
 * {@code outbound.resolver-queue} waiting), never on the shared Vert.x worker pool. When the pool and its
 * queue are full the lookup fails at once with {@link Busy} (the attempt is a {@code dns_error}) instead of
 * queueing without bound.</li>
 * <li>Concurrent lookups of the same host share one lookup, so a host whose DNS hangs occupies one thread,
 * not one per attempt.</li>
 * <li>Each caller waits at most until its own deadline ({@link java.util.concurrent.TimeoutException});
 * a queued lookup whose every caller has given up is dropped without being run.</li>
 * <li>Answers are kept for {@code outbound.dns-cache-ttl} (positive answers only; 0 turns the cache off), on
 * top of the JVM's own cache.</li>
 * </ul>
 * IP literals ({@code a.b.c.d}, {@code [v6]}) are answered without a lookup.
 */
@ApplicationScoped
public class HostResolver {

    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$");
    private static final int MAX_CACHED = 10_000;

    /** The resolver pool and its queue are full: the lookup was not started. */
    public static final class Busy extends RuntimeException {
        Busy(String host) {
            super("the DNS resolver is saturated; lookup of " + host + " not started", null, false, false);
        }
    }

    private record Cached(List<InetAddress> addresses, long expiresNanos) {}

    /** One lookup in progress, shared by every caller that asked for the host meanwhile. */
    private static final class Lookup {
        final CompletableFuture<List<InetAddress>> result = new CompletableFuture<>();
        final AtomicLong latestDeadline = new AtomicLong(Long.MIN_VALUE);

        void wantedUntil(long deadlineNanos) {
            latestDeadline.accumulateAndGet(deadlineNanos, (a, b) -> a == Long.MIN_VALUE ? b : b - a > 0 ? b : a);
        }
    }

    private final NameLookup lookup;
    private final long cacheTtlNanos;
    private final ThreadPoolExecutor executor;
    private final Map<String, Lookup> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** IP literals already parsed (their addresses never change). */
    private final Map<String, List<InetAddress>> literals = new ConcurrentHashMap<>();

    public HostResolver(NameLookup lookup, WebhookConfig config) {
        this.lookup = lookup;
        this.cacheTtlNanos = config.outbound().dnsCacheTtl().toNanos();
        int threads = Math.max(1, config.outbound().resolverThreads());
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(
                threads,
                threads,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, config.outbound().resolverQueue())),
                r -> {
                    Thread t = new Thread(r, "webhook-dns-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
        this.executor.allowCoreThreadTimeOut(true);
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }

    /**
     * Every address of {@code host} (a name, a dotted quad or a bracketed IPv6 literal). The future fails
     * with {@link UnknownHostException} (no such name), {@link Busy} (saturated, at once) or
     * {@link java.util.concurrent.TimeoutException} (no answer by {@code deadlineNanos}, a
     * {@link System#nanoTime()} value). Completing or cancelling the returned future affects only the caller.
     */
    public CompletableFuture<List<InetAddress>> resolve(String host, long deadlineNanos) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        List<InetAddress> literal = literals.get(name);
        if (literal != null) {
            return CompletableFuture.completedFuture(literal);
        }
        if (name.contains(":") || DOTTED_QUAD.matcher(name).matches()) {
            try {
                // parsed once per literal, not on every attempt (the pattern and the parse were a tenth of an
                // attempt's allocation)
                List<InetAddress> parsed = List.of(InetAddress.getByName(name));
                if (literals.size() >= MAX_CACHED) {
                    literals.clear();
                }
                literals.put(name, parsed);
                return CompletableFuture.completedFuture(parsed);
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        long now = System.nanoTime();
        Cached cached = cache.get(name);
        if (cached != null) {
            if (cached.expiresNanos() - now > 0) {
                return CompletableFuture.completedFuture(cached.addresses());
            }
            cache.remove(name, cached);
        }
        long remaining = deadlineNanos - now;
        if (remaining <= 0) {
            return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException());
        }
        Lookup shared = inFlight.get(name);
        if (shared == null) {
            Lookup mine = new Lookup();
            shared = inFlight.putIfAbsent(name, mine);
            if (shared == null) {
                shared = mine;
                mine.wantedUntil(deadlineNanos);
                start(name, mine);
            }
        }
        shared.wantedUntil(deadlineNanos);
        return shared.result.copy().orTimeout(remaining, TimeUnit.NANOSECONDS);
    }

    private void start(String name, Lookup mine) {
        try {
            executor.execute(() -> run(name, mine));
        } catch (RejectedExecutionException e) {
            inFlight.remove(name, mine);
            mine.result.completeExceptionally(new Busy(name));
        }
    }

    private void run(String name, Lookup mine) {
        try {
            if (mine.latestDeadline.get() - System.nanoTime() <= 0) {
                // every caller has given up while this waited in the queue: do not spend a thread on it
                inFlight.remove(name, mine);
                mine.result.completeExceptionally(new java.util.concurrent.TimeoutException());
                return;
            }
            InetAddress[] addresses = lookup.lookup(name);
            if (addresses == null || addresses.length == 0) {
                throw new UnknownHostException(name);
            }
            List<InetAddress> list = List.of(addresses);
            if (cacheTtlNanos > 0) {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
                cache.put(name, new Cached(list, System.nanoTime() + cacheTtlNanos));
            }
            inFlight.remove(name, mine);
            mine.result.complete(list);
        } catch (Throwable e) {
            inFlight.remove(name, mine);
            mine.result.completeExceptionally(e);
        }
    }
}
