package io.cloudnexus.webhook.delivery;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * At most {@code permits} attempts in flight per destination (scheme, host, port): as many as the HTTP client keeps
 * connections to it ({@code outbound.max-connections-per-host}). An attempt's deadline starts when it is sent, and
 * waiting for a pooled connection counted in it: one event fanned out to 10,000 endpoints on one receiver host
 * started 10,000 attempts at once, all but 64 waited in the client's pool, and those still waiting after 5 s timed
 * out unsent (and were retried, adding load). With the gate, an attempt beyond the pool's size waits here, before
 * its deadline starts, and is started (in arrival order) as soon as an attempt to the same destination ends. It adds
 * no coupling between endpoints that the shared connection pool did not already have.
 *
 * <p>A queued start runs through {@code handOff} (an event loop), never inside {@link #release}: an attempt that
 * ends at once (an open breaker) would otherwise start the next one on the same stack, thousands deep.
 */
final class HostGate {

    private final int permits;
    private final Consumer<Runnable> handOff;
    private final Map<String, Destination> destinations = new ConcurrentHashMap<>();

    HostGate(int permits, Consumer<Runnable> handOff) {
        this.permits = Math.max(1, permits);
        this.handOff = handOff;
    }

    /** The destination of a URL as the client's pool sees it: scheme, host and port. */
    static String destination(URI url) {
        String scheme = url.getScheme() == null ? "https" : url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() >= 0 ? url.getPort() : "http".equals(scheme) ? 80 : 443;
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + ":" + port;
    }

    /**
     * Runs {@code start} now if the destination has a free permit (on the calling thread), else once one is
     * released (through the hand-off). Every {@code start} that runs must be followed by one {@link #release}.
     */
    void enter(String destination, Runnable start) {
        Destination d = destinations.computeIfAbsent(destination, k -> new Destination());
        synchronized (d) {
            if (d.inFlight >= permits) {
                d.waiting.add(start);
                return;
            }
            d.inFlight++;
        }
        start.run();
    }

    /** An attempt to the destination ended: its permit goes to the next waiting start, if any. */
    void release(String destination) {
        Destination d = destinations.get(destination);
        if (d == null) {
            return;
        }
        Runnable next;
        synchronized (d) {
            next = d.waiting.poll();
            if (next == null) {
                d.inFlight--; // the entry stays (one small object per destination): removing it would race enter()
                return;
            }
            // the permit passes to `next`: inFlight unchanged
        }
        handOff.accept(next);
    }

    /** Attempts waiting for a permit to {@code destination} (for tests and diagnostics). */
    int waiting(String destination) {
        Destination d = destinations.get(destination);
        if (d == null) {
            return 0;
        }
        synchronized (d) {
            return d.waiting.size();
        }
    }

    private static final class Destination {
        int inFlight;
        final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    }
}
