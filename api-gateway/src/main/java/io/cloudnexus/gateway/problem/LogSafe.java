package io.cloudnexus.gateway.problem;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a string from outside (a path, a header value, a claim, an exception message that may quote
 * them) safe to log: control characters (CR, LF, NUL, ESC, C1 controls, line and paragraph separators)
 * are written as {@code \\uXXXX}, so nobody can forge log lines or terminal escapes, and long values are
 * cut. A URI's secret query values ({@link #SECRET_PARAMS}: stream tickets, keys in a URL) are redacted.
 */
public final class LogSafe {
    static final int MAX_LENGTH = 256;

    /** Query parameters whose values may be credentials: never written to a log. */
    public static final Set<String> SECRET_PARAMS = Set.of("ticket", "api_key", "key", "access_token");

    private static final Pattern SECRET_VALUE =
            Pattern.compile("(^|[?&])(" + String.join("|", SECRET_PARAMS) + ")=[^&#]*", Pattern.CASE_INSENSITIVE);

    private LogSafe() {}

    public static String clean(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_LENGTH) + 8);
        for (int i = 0; i < value.length(); i++) {
            if (out.length() >= MAX_LENGTH) {
                out.append("...");
                break;
            }
            char c = value.charAt(i);
            if (isControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A URI or query string fit for a log line: the values of {@link #SECRET_PARAMS} replaced by
     * {@code ***}, then {@link #clean cleaned}.
     */
    public static String uri(String uri) {
        if (uri == null) {
            return "null";
        }
        return clean(
                SECRET_VALUE.matcher(uri).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + "=***")));
    }

    /** Whether {@code c} is a control character (C0, DEL, C1) or a Unicode line/paragraph separator. */
    public static boolean isControl(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
    }

    /** Whether {@code value} has any {@link #isControl control character}. */
    public static boolean hasControl(String value) {
        return value != null && value.chars().anyMatch(LogSafe::isControl);
    }
}
