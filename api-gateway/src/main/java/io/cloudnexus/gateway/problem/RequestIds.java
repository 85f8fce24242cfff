package io.cloudnexus.gateway.problem;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The request id: the caller's {@code X-Request-Id} if short and printable, else a new one (128 random
 * bits; an id for correlation, not a secret, so no SecureRandom on the hot path).
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final int MAX_LENGTH = 128;

    private RequestIds() {}

    public static String sanitize(String given) {
        if (given != null
                && !given.isBlank()
                && given.length() <= MAX_LENGTH
                && given.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return given;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "req_" + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }
}
