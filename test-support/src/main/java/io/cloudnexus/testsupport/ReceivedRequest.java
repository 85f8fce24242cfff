package io.cloudnexus.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request a {@link RecordingReceiver} got: headers (names lower-cased) and the raw body bytes,
 * exactly as they came off the wire.
 */
public record ReceivedRequest(
        String method, String path, Map<String, List<String>> headers, byte[] body, Instant receivedAt) {

    /** The first value of a header, by case-insensitive name, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
