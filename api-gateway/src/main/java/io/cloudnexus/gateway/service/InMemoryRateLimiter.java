package io.cloudnexus.gateway.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed windows per account in this JVM: a window opens with the account's first request and lasts
 * {@code window}; the count is exact (updated atomically per account).
 */
public class InMemoryRateLimiter implements RateLimiter {

    private static final class Window {
        final long start;
        long count;

        Window(long start) {
            this.start = start;
        }
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final long windowNanos;

    public InMemoryRateLimiter(Duration window) {
        this.windowNanos = window.toNanos();
    }

    @Override
    public Decision hit(String accountId, int limit) {
        long now = System.nanoTime();
        long[] seen = new long[2];
        windows.compute(accountId, (id, w) -> {
            Window current = w == null || now - w.start >= windowNanos ? new Window(now) : w;
            current.count++;
            seen[0] = current.count;
            seen[1] = current.start;
            return current;
        });
        long millisLeft = (seen[1] + windowNanos - now) / 1_000_000;
        return Decision.of(seen[0], limit, millisLeft);
    }

    @Override
    public boolean blocking() {
        return false;
    }

    /** Drops windows that ended (called periodically). */
    public void evictExpired() {
        long now = System.nanoTime();
        windows.values().removeIf(w -> now - w.start >= windowNanos);
    }
}
