package io.cloudnexus.gateway.problem;

import java.util.UUID;

/** The request id: the caller's {@code X-Request-Id} if short and printable, else a new one. */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    public static String sanitize(String given) {
        if (given != null && !given.isBlank() && given.length() <= MAX_LENGTH
                && given.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return given;
        }
        return "req_" + UUID.randomUUID().toString().replace("-", "");
    }
}
