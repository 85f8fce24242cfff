package io.cloudnexus.webhook.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.cloudnexus.common.problem.ProblemException;

/** Parsing of query parameters; a malformed value is a 400 naming the parameter. */
final class QueryParams {

    private QueryParams() {}

    static Instant instant(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(
                    name, "must be an ISO-8601 UTC time such as 2025-04-15T10:32:00Z", null);
        }
    }
}
