package io.cloudnexus.webhook.rest;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Request bodies of the endpoints API (snake_case JSON; unknown fields are refused). */
public final class EndpointRequests {

    private EndpointRequests() {}

    /** {@code POST /webhooks}; {@code rate_limit}: requests per second (default: the configured one). */
    public record Create(String url, String description, List<String> events, Integer rateLimit) {}

    /** {@code PATCH /webhooks/{id}}: only the fields present change. */
    public record Update(String url, String description, List<String> events, Integer rateLimit) {}

    /** {@code POST /webhooks/{id}/test}: the event type (default: the first catalogued type the endpoint wants) and data. */
    public record Test(String event, JsonNode data) {}

    /** {@code POST /webhooks/{id}/dead-letters/replay}: the dead-letter time window (default: everything). */
    public record Window(Instant from, Instant to) {}
}
