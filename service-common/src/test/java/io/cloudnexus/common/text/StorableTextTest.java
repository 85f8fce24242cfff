package io.cloudnexus.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StorableTextTest {

    private static final String R = "\uFFFD";

    @Test
    void nullStaysNullAndCleanTextIsReturnedAsIs() {
        assertThat(StorableText.of(null, 10)).isNull();
        assertThat(StorableText.ofUtf8(null, 10)).isNull();
        String clean = "HTTP/1.1 200 OK caf\u00e9 \u2713 \uD83D\uDE00";
        assertThat(StorableText.of(clean, 100)).isSameAs(clean);
    }

    @Test
    void nulAndOtherControlCharactersAreReplaced() {
        assertThat(StorableText.of("HT\u0000TP/1.1 200 OK", 100)).isEqualTo("HT" + R + "TP/1.1 200 OK");
        assertThat(StorableText.of("a\u0001b\u001fc\u007fd\u0085e\u009ff", 100))
                .isEqualTo("a" + R + "b" + R + "c" + R + "d" + R + "e" + R + "f");
        assertThat(StorableText.of("line 1\r\n\tline 2", 100)).isEqualTo("line 1\r\n\tline 2");
        assertThat(StorableText.line("line 1\r\n\tline 2", 100)).isEqualTo("line 1" + R + R + R + "line 2");
    }

    @Test
    void loneSurrogatesAreReplacedPairsKept() {
        assertThat(StorableText.of("a\uD800b", 10)).isEqualTo("a" + R + "b");
        assertThat(StorableText.of("a\uDC00", 10)).isEqualTo("a" + R);
        assertThat(StorableText.of("\uDE00\uD83D", 10)).isEqualTo(R + R);
        assertThat(StorableText.of("x\uD83D\uDE00y", 10)).isEqualTo("x\uD83D\uDE00y");
    }

    @Test
    void theCapNeverSplitsASurrogatePair() {
        assertThat(StorableText.of("abcdef", 3)).isEqualTo("abc");
        assertThat(StorableText.of("ab\uD83D\uDE00", 3)).isEqualTo("ab");
        assertThat(StorableText.of("ab\uD83D\uDE00", 4)).isEqualTo("ab\uD83D\uDE00");
        assertThat(StorableText.of("abc", 0)).isEmpty();
    }

    @Test
    void invalidUtf8IsReplaced() {
        byte[] bytes = {
            'o',
            'k',
            (byte) 0xC3,
            (byte) 0x28,
            ' ',
            (byte) 0xFF,
            (byte) 0xFE,
            ' ',
            (byte) 0xED,
            (byte) 0xA0,
            (byte) 0x80,
            ' ',
            (byte) 0xC0,
            (byte) 0xAF,
            0,
            '!'
        };
        String text = StorableText.ofUtf8(bytes, 100);
        assertThat(text).startsWith("ok" + R + "(").endsWith(R + "!").doesNotContain("\u0000");
        assertThat(text.codePoints().allMatch(c -> StorableText.storable(c, true)))
                .isTrue();
        assertThat(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEqualTo(text);
    }

    @Test
    void theByteCapCutsOnACodePointBoundary() {
        byte[] euro = "ab\u20ac".getBytes(StandardCharsets.UTF_8); // a b E2 82 AC
        assertThat(StorableText.ofUtf8(euro, 5)).isEqualTo("ab\u20ac");
        assertThat(StorableText.ofUtf8(euro, 4)).isEqualTo("ab");
        assertThat(StorableText.ofUtf8(euro, 3)).isEqualTo("ab");
        assertThat(StorableText.ofUtf8(euro, 2)).isEqualTo("ab");
        byte[] emoji = "a\uD83D\uDE00".getBytes(StandardCharsets.UTF_8); // a F0 9F 98 80
        assertThat(StorableText.ofUtf8(emoji, 4)).isEqualTo("a");
        assertThat(StorableText.ofUtf8(emoji, 5)).isEqualTo("a\uD83D\uDE00");
        assertThat(StorableText.ofUtf8("abc".getBytes(StandardCharsets.UTF_8), 0))
                .isEmpty();
    }

    @Test
    void everyResultIsStorableWhateverTheInput() {
        java.util.Random random = new java.util.Random(42);
        for (int n = 0; n < 2_000; n++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            int cap = random.nextInt(70);
            String decoded = StorableText.ofUtf8(bytes, cap);
            assertThat(decoded.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Math.max(cap, 0) * 3);
            assertThat(decoded.codePoints().allMatch(c -> StorableText.storable(c, true)))
                    .isTrue();
            char[] chars = new char[random.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) random.nextInt(0x10000);
            }
            String line = StorableText.line(new String(chars), cap);
            assertThat(line.length()).isLessThanOrEqualTo(cap);
            assertThat(line.codePoints().allMatch(c -> StorableText.storable(c, false)))
                    .isTrue();
        }
    }
}
