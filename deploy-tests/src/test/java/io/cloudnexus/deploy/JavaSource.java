package io.cloudnexus.deploy;

/**
 * A Java source file with a "masked" twin of the same length in which comments and the contents
 * of string and char literals are blanked: structure (braces, semicolons) is read from the mask,
 * literal values from the original at the same offsets.
 */
record JavaSource(String fileName, String text, String masked) {

    static JavaSource of(String fileName, String text) {
        return new JavaSource(fileName, text, mask(text));
    }

    /** Index of the brace closing the one at {@code open}, in the mask. */
    int closingBrace(int open) {
        int depth = 0;
        for (int i = open; i < masked.length(); i++) {
            char c = masked.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced braces in " + fileName);
    }

    private static String mask(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                while (i < end) {
                    out.append(text.charAt(i) == '\n' ? '\n' : ' ');
                    i++;
                }
            } else if (text.startsWith("\"\"\"", i)) {
                int end = text.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                out.append("\"\"\"");
                for (int j = i + 3; j < end - 3; j++) {
                    out.append(text.charAt(j) == '\n' ? '\n' : ' ');
                }
                out.append("\"\"\"");
                i = end;
            } else if (c == '"' || c == '\'') {
                out.append(c);
                i++;
                while (i < n && text.charAt(i) != c) {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        out.append(' ');
                        i++;
                    }
                    out.append(' ');
                    i++;
                }
                if (i < n) {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
