package io.cloudnexus.common.rest;

import java.util.List;
import java.util.regex.Pattern;

import io.cloudnexus.common.problem.ProblemException;

/**
 * Checks of request fields that answer 400 problem details naming the field (and, for closed sets, listing the
 * valid values), so that a client mistake is never a 500. Field names are the JSON paths the client sent,
 * e.g. {@code node_pools[1].size}.
 */
public final class FieldChecks {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private FieldChecks() {}

    /** The value, or a 400 "is required" for {@code field}. */
    public static <T> T required(String field, T value) {
        if (value == null) {
            throw ProblemException.invalidField(field, "is required", null);
        }
        return value;
    }

    /** A required value from a closed set (a missing one is a 400 listing the valid values). */
    public static String oneOf(String field, String value, List<String> valid) {
        if (value == null) {
            throw ProblemException.invalidField(field, "is required; one of " + String.join(", ", valid), valid);
        }
        return optionalOneOf(field, value, valid);
    }

    /** An optional value (null passes) from a closed set. */
    public static String optionalOneOf(String field, String value, List<String> valid) {
        if (value != null && !valid.contains(value)) {
            throw ProblemException.invalidField(field, "must be one of " + String.join(", ", valid), valid);
        }
        return value;
    }

    /** An optional name: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit. */
    public static String name(String field, String value) {
        if (value != null && !NAME.matcher(value).matches()) {
            throw ProblemException.invalidField(
                    field,
                    "must be 1-63 characters: letters, digits, '.', '_' or '-', starting with a letter or digit",
                    null);
        }
        return value;
    }

    /** A required integer within {@code [min, max]}. */
    public static int range(String field, Integer value, int min, int max) {
        required(field, value);
        if (value < min || value > max) {
            throw ProblemException.invalidField(field, "must be from " + min + " to " + max, null);
        }
        return value;
    }
}
