package io.cloudnexus.gateway.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A listing in the API's one shape, {@code {"data": [...], "has_more": false}} (the services' {@code Page}), for the
 * gateway's own listings: an account has few keys and clients, so they come in one page.
 */
public record Listing<T>(
        List<T> data, @JsonProperty("has_more") boolean hasMore) {

    public static <T> Listing<T> all(List<T> items) {
        return new Listing<>(items, false);
    }
}
