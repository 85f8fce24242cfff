package io.cloudnexus.webhook.domain;

import java.time.Instant;
import java.util.List;

/**
 * Filters of an Events API listing; null means "any". {@code types} are catalogued types (wildcards already
 * expanded); {@code from}/{@code to} apply to the time the event occurred (the envelope's timestamp);
 * {@code beforeSeq} is the cursor (the store order of the {@code starting_after} event).
 */
public record EventFilter(List<String> types, String resourceId, Instant from, Instant to, Long beforeSeq) {}
