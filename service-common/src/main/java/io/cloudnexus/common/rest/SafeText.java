package io.cloudnexus.common.rest;

/**
 * The one rule for strings that come from outside (request bodies, paths, query strings, records of other
 * services): PostgreSQL cannot store NUL in {@code text} or {@code jsonb}, an unpaired UTF-16 surrogate has no
 * UTF-8 form (the driver would silently store {@code ?}), and control characters in names or descriptions are
 * never meant and corrupt logs and terminals. So every Unicode control character (category Cc: U+0000-U+001F,
 * U+007F-U+009F) other than tab, line feed and carriage return, and every unpaired surrogate, is refused at the
 * edge ({@link #firstUnsafe}); strings written to logs are escaped ({@link #forLog}).
 */
public final class SafeText {

    /** What a 400 says about such a field. */
    public static final String MESSAGE = "must not contain control characters (other than tab, line feed and "
            + "carriage return) or unpaired UTF-16 surrogates";

    private static final int LOG_LIMIT = 512;

    private SafeText() {}

    /** The index of the first character that may not be stored, or -1 if {@code text} is safe (or null). */
    public static int firstUnsafe(CharSequence text) {
        if (text == null) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c) || isControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return i;
            }
        }
        return -1;
    }

    public static boolean isSafe(CharSequence text) {
        return firstUnsafe(text) < 0;
    }

    /**
     * {@code text} as it may appear in a log line: every control character (tab, CR and LF included, so one
     * value cannot forge a line) and unpaired surrogate as {@code \\uXXXX}, cut at 512 characters.
     */
    public static String forLog(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        StringBuilder sb = new StringBuilder(Math.min(text.length(), LOG_LIMIT) + 16);
        for (int i = 0; i < text.length(); i++) {
            if (sb.length() >= LOG_LIMIT) {
                return sb.append("...(").append(text.length()).append(" chars)").toString();
            }
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                sb.append(c).append(text.charAt(++i));
            } else if (isControl(c) || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f;
    }
}
