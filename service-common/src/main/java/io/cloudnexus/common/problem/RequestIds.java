package io.cloudnexus.common.problem;

import java.util.UUID;

import jakarta.ws.rs.core.HttpHeaders;

/** The request id a response is tagged with: the caller's (via the gateway) or a new one. */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final int MAX_LENGTH = 128;

    private RequestIds() {}

    public static String of(HttpHeaders headers) {
        String given = headers == null ? null : headers.getHeaderString(HEADER);
        return sanitize(given);
    }

    /** Accepts a caller's id if it is short and printable; otherwise makes a new one. */
    public static String sanitize(String given) {
        if (given != null
                && !given.isBlank()
                && given.length() <= MAX_LENGTH
                && given.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return given;
        }
        return "req_" + UUID.randomUUID().toString().replace("-", "");
    }
}
