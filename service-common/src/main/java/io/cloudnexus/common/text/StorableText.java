package io.cloudnexus.common.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Makes text that came from outside (a receiver's status line, headers, body, an exception message quoting
 * them) safe to store in a PostgreSQL {@code text} column and to write to a log line: the result is valid
 * UTF-16 with no lone surrogates (so it encodes to valid UTF-8), contains no NUL and no other control
 * character, and is capped in length without cutting a code point in two.
 *
 * <p>Every character that is not storable becomes U+FFFD (the replacement character): C0 controls
 * (U+0000-U+001F), DEL (U+007F), C1 controls (U+0080-U+009F), lone surrogates and, when decoding bytes,
 * every malformed UTF-8 sequence. {@link #of} keeps tab, line feed and carriage return (a response excerpt
 * may have lines); {@link #line} replaces them too (one-line values: headers, error messages, log fields).
 *
 * <p>Pure Java, no state: {@code StorableText.of(excerpt, 1024)}, {@code StorableText.ofUtf8(bytes, 1024)}.
 */
public final class StorableText {

    /** What replaces every character that cannot be stored. */
    public static final char REPLACEMENT = '\uFFFD';

    private StorableText() {}

    /**
     * {@code text} made storable (tab, line feed, carriage return kept) and cut to at most {@code maxChars}
     * UTF-16 chars on a code-point boundary; null stays null.
     */
    public static String of(String text, int maxChars) {
        return clean(text, maxChars, true);
    }

    /** Like {@link #of}, but tab, line feed and carriage return are replaced too: a one-line value. */
    public static String line(String text, int maxChars) {
        return clean(text, maxChars, false);
    }

    /**
     * Decodes at most {@code maxBytes} of {@code bytes} as UTF-8 (the cut backs off to the start of a
     * multi-byte sequence, so no character is split), replaces malformed sequences and unstorable characters
     * (tab, line feed, carriage return kept); null stays null.
     */
    public static String ofUtf8(byte[] bytes, int maxBytes) {
        if (bytes == null) {
            return null;
        }
        int length = utf8Boundary(bytes, Math.max(0, Math.min(bytes.length, maxBytes)));
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(REPLACEMENT));
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, length));
            return clean(chars.toString(), Integer.MAX_VALUE, true);
        } catch (CharacterCodingException e) { // cannot happen with REPLACE
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code codePoint} may be stored as is (in a one-line value unless {@code multiLine}). */
    public static boolean storable(int codePoint, boolean multiLine) {
        if (codePoint == '\t' || codePoint == '\n' || codePoint == '\r') {
            return multiLine;
        }
        if (codePoint < 0x20 || (codePoint >= 0x7F && codePoint <= 0x9F)) {
            return false;
        }
        return !(codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)
                && codePoint != 0xFFFE
                && codePoint != 0xFFFF
                && Character.isValidCodePoint(codePoint);
    }

    private static String clean(String text, int maxChars, boolean multiLine) {
        if (text == null) {
            return null;
        }
        int max = Math.max(0, maxChars);
        if (text.length() <= max && alreadyClean(text, multiLine)) {
            return text;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int codePoint;
            int width;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                codePoint = Character.toCodePoint(c, text.charAt(i + 1));
                width = 2;
            } else {
                codePoint = c; // a lone surrogate is refused by storable()
                width = 1;
            }
            boolean keep = storable(codePoint, multiLine);
            int needed = keep ? width : 1;
            if (out.length() + needed > max) {
                break;
            }
            if (keep) {
                out.append(text, i, i + width);
            } else {
                out.append(REPLACEMENT);
            }
            i += width;
        }
        return out.toString();
    }

    private static boolean alreadyClean(String text, boolean multiLine) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                continue; // the common case: printable ASCII
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (!storable(Character.toCodePoint(c, text.charAt(i + 1)), multiLine)) {
                    return false;
                }
                i++;
                continue;
            }
            if (!storable(c, multiLine)) {
                return false;
            }
        }
        return true;
    }

    /** The largest length {@code <= length} that does not end inside a multi-byte UTF-8 sequence. */
    private static int utf8Boundary(byte[] bytes, int length) {
        if (length == bytes.length || length == 0) {
            return length;
        }
        // bytes[length] is the first byte left out: if it is a continuation byte, back off over the
        // continuation bytes before it and the lead byte they belong to (at most 3 bytes back)
        if ((bytes[length] & 0xC0) != 0x80) {
            return length;
        }
        int i = length;
        int backed = 0;
        while (i > 0 && backed < 3 && (bytes[i - 1] & 0xC0) == 0x80) {
            i--;
            backed++;
        }
        if (i > 0 && (bytes[i - 1] & 0xC0) == 0xC0) {
            return i - 1; // drop the incomplete sequence whole
        }
        return length; // not a well-formed sequence anyway: the decoder replaces it
    }
}
