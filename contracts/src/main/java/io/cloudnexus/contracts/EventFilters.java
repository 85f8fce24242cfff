package io.cloudnexus.contracts;

import java.util.regex.Pattern;

/**
 * Syntax and matching of webhook subscription filters. A filter is one of:
 * <ul>
 *   <li>{@code *}: every event type;</li>
 *   <li>an exact type, e.g. {@code server.created};</li>
 *   <li>a prefix wildcard, e.g. {@code server.*} (matches {@code server.created}) or
 *       {@code cluster.*} (matches {@code cluster.node.joined} too): every type that starts
 *       with the prefix followed by a dot.</li>
 * </ul>
 * Anything else ({@code serv*}, {@code *.created}, {@code server.}, an empty string) is
 * malformed and matches nothing. Whether a well-formed filter names existing types is the
 * catalog's business: {@link EventCatalog#isValidFilter(String)}.
 */
public final class EventFilters {

    /** The filter that matches every type. */
    public static final String ALL = "*";

    /** Lowercase dot-separated segments of letters, digits and underscores. */
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    private static final Pattern WILDCARD = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*\\.\\*");

    private EventFilters() {}

    /** Whether {@code type} is a syntactically valid event type name. */
    public static boolean isWellFormedType(String type) {
        return type != null && TYPE.matcher(type).matches();
    }

    /** Whether {@code filter} is {@code *}, a well-formed type, or a well-formed {@code prefix.*}. */
    public static boolean isWellFormed(String filter) {
        return filter != null
                && (ALL.equals(filter)
                        || TYPE.matcher(filter).matches()
                        || WILDCARD.matcher(filter).matches());
    }

    /**
     * Whether the subscription filter selects the event type. Malformed filters match nothing;
     * matching is case-sensitive.
     */
    public static boolean matches(String filter, String type) {
        if (type == null || !isWellFormed(filter)) {
            return false;
        }
        if (ALL.equals(filter)) {
            return true;
        }
        if (filter.endsWith(".*")) {
            String prefixWithDot = filter.substring(0, filter.length() - 1);
            return type.length() > prefixWithDot.length() && type.startsWith(prefixWithDot);
        }
        return filter.equals(type);
    }
}
