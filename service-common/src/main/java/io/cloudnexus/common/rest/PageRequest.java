package io.cloudnexus.common.rest;

import io.cloudnexus.common.problem.ProblemException;

/**
 * Validated cursor-pagination parameters: {@code limit} 1-100 (default 20) and an optional
 * {@code starting_after} id, which must carry the listing's id prefix.
 */
public record PageRequest(int limit, String startingAfter) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /**
     * @param limit the raw {@code limit} query parameter (may be null)
     * @param startingAfter the raw {@code starting_after} query parameter (may be null)
     * @param idPrefix the prefix every id of this listing has, e.g. {@code srv_}
     */
    public static PageRequest of(String limit, String startingAfter, String idPrefix) {
        int parsed = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                parsed = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                throw ProblemException.invalidField("limit", "must be an integer from 1 to " + MAX_LIMIT, null);
            }
            if (parsed < 1 || parsed > MAX_LIMIT) {
                throw ProblemException.invalidField("limit", "must be from 1 to " + MAX_LIMIT, null);
            }
        }
        String cursor = startingAfter == null || startingAfter.isBlank() ? null : startingAfter.trim();
        if (cursor != null && (!cursor.startsWith(idPrefix) || cursor.length() > 64)) {
            throw ProblemException.invalidField(
                    "starting_after", "must be an id starting with '" + idPrefix + "'", null);
        }
        return new PageRequest(parsed, cursor);
    }

    /** How many rows to fetch: one more than the page, to learn whether there is more. */
    public int fetchSize() {
        return limit + 1;
    }
}
