package io.cloudnexus.webhook.domain;

import java.time.Instant;

/** One delivery attempt: when, the response status (null without a response), latency, error class, excerpt. */
public record AttemptView(
        int attempt,
        Instant attemptedAt,
        Integer statusCode,
        int latencyMs,
        String errorClass,
        String responseExcerpt) {}
