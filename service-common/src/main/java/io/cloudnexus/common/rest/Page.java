package io.cloudnexus.common.rest;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One page of a cursor-paginated listing: {@code {"data": [...], "has_more": true}}. The next page
 * is requested with {@code starting_after=<id of the last item>}.
 */
public record Page<T>(
        List<T> data, @JsonProperty("has_more") boolean hasMore) {

    /**
     * Builds a page from a query that fetched {@code limit + 1} rows: the extra row only tells
     * whether there is more.
     */
    public static <E, T> Page<T> of(List<E> fetchedLimitPlusOne, int limit, Function<E, T> mapper) {
        boolean more = fetchedLimitPlusOne.size() > limit;
        List<E> rows = more ? fetchedLimitPlusOne.subList(0, limit) : fetchedLimitPlusOne;
        return new Page<>(rows.stream().map(mapper).toList(), more);
    }
}
