package io.cloudnexus.gateway.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures per subject (a source address, a client id) in fixed windows on this replica: after {@code limit}
 * failures the subject may not try again until its window ends. Only failures count, so a caller that
 * succeeds often is never held up. (The account rate limiter does not fit: it counts every request, and an
 * address is not an account.) Used for console sign-ins ({@link SignInThrottle}) and OAuth client
 * authentications.
 */
public class FailureThrottle {

    private record Window(long start, int failures) {}

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final int limit;
    private final long windowNanos;

    protected FailureThrottle(int limit, Duration window) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
    }

    /** Seconds until {@code subject} may try again, or 0 when it may now. */
    public long retryAfterSeconds(String subject) {
        Window window = windows.get(subject);
        long now = System.nanoTime();
        if (window == null || now - window.start() >= windowNanos || window.failures() < limit) {
            return 0;
        }
        return Math.max(1, (window.start() + windowNanos - now + 999_999_999L) / 1_000_000_000L);
    }

    /** Counts a failure of {@code subject}. */
    public void failed(String subject) {
        long now = System.nanoTime();
        windows.compute(
                subject,
                (a, w) -> w == null || now - w.start() >= windowNanos
                        ? new Window(now, 1)
                        : new Window(w.start(), w.failures() + 1));
    }

    /** Forgets the windows that have ended (call it periodically). */
    protected void evictExpired() {
        long now = System.nanoTime();
        windows.values().removeIf(w -> now - w.start() >= windowNanos);
    }
}
