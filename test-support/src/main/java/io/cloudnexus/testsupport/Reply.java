package io.cloudnexus.testsupport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link RecordingReceiver} answers to one request: a status, optional headers and body, an
 * optional delay before answering, or a hang (no answer until the receiver closes).
 */
public record Reply(int status, Map<String, String> headers, String body, Duration delay, boolean hangs) {

    public static Reply status(int status) {
        return new Reply(status, Map.of(), "", Duration.ZERO, false);
    }

    public static Reply ok() {
        return status(200);
    }

    /** Never answers (until the receiver is closed): a hanging endpoint. */
    public static Reply hang() {
        return new Reply(0, Map.of(), "", Duration.ZERO, true);
    }

    public Reply after(Duration wait) {
        return new Reply(status, headers, body, wait, hangs);
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Reply(status, Map.copyOf(copy), body, delay, hangs);
    }

    public Reply withBody(String text) {
        return new Reply(status, headers, text, delay, hangs);
    }
}
