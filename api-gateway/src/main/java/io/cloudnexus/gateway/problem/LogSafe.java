package io.cloudnexus.gateway.problem;

/**
 * Makes a string from outside (a path, a header value, a claim, an exception message that may quote
 * them) safe to log: control characters (CR, LF, NUL, ESC, C1 controls, line and paragraph separators)
 * are written as {@code \\uXXXX}, so nobody can forge log lines or terminal escapes, and long values are
 * cut.
 */
public final class LogSafe {
    static final int MAX_LENGTH = 256;

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

    /** Whether {@code c} is a control character (C0, DEL, C1) or a Unicode line/paragraph separator. */
    public static boolean isControl(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
    }

    /** Whether {@code value} has any {@link #isControl control character}. */
    public static boolean hasControl(String value) {
        return value != null && value.chars().anyMatch(LogSafe::isControl);
    }
}
