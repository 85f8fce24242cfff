package io.cloudnexus.webhook.stream;

import java.nio.charset.StandardCharsets;

import io.cloudnexus.webhook.events.FeedPosition;

/**
 * One event as a stream carries it: its id, account and type (to route and filter it), the public envelope,
 * byte-identical to the body a webhook receiver gets, and its record's position (the streams' order).
 */
public record LiveEvent(String id, String accountId, String type, byte[] envelope, FeedPosition position) {

    /** The frame: {@code {"type":"event","event":<envelope>}}. */
    public String frame() {
        return "{\"type\":\"event\",\"event\":" + new String(envelope, StandardCharsets.UTF_8) + "}";
    }
}
