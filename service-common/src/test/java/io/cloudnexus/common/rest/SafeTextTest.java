package io.cloudnexus.common.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void refusesControlCharactersOtherThanTabLineFeedAndCarriageReturnAndLoneSurrogates() {
        assertThat(SafeText.firstUnsafe("web-1")).isEqualTo(-1);
        assertThat(SafeText.firstUnsafe(null)).isEqualTo(-1);
        assertThat(SafeText.firstUnsafe("line one\n\tline two\r\n")).isEqualTo(-1);
        assertThat(SafeText.firstUnsafe("caf\u00e9 \u6771\u4eac \ud83d\ude80")).isEqualTo(-1); // pair: fine
        assertThat(SafeText.firstUnsafe("ab\u0000c")).isEqualTo(2);
        assertThat(SafeText.firstUnsafe("\u001b[31m")).isEqualTo(0);
        assertThat(SafeText.firstUnsafe("del\u007f")).isEqualTo(3);
        assertThat(SafeText.firstUnsafe("csi\u009b")).isEqualTo(3);
        assertThat(SafeText.firstUnsafe("x\ud83d")).isEqualTo(1);
        assertThat(SafeText.firstUnsafe("\ude80x")).isEqualTo(0);
        assertThat(SafeText.firstUnsafe("\ud83d\ud83d\ude80")).isEqualTo(0);
    }

    @Test
    void logTextCannotForgeLinesAndIsBounded() {
        assertThat(SafeText.forLog("/servers/x\r\n2026 INFO forged"))
                .isEqualTo("/servers/x\\u000d\\u000a2026 INFO forged");
        assertThat(SafeText.forLog("a\u0000b\tc\ud800")).isEqualTo("a\\u0000b\\u0009c\\ud800");
        assertThat(SafeText.forLog("\ud83d\ude80")).isEqualTo("\ud83d\ude80");
        assertThat(SafeText.forLog(null)).isEqualTo("null");
        assertThat(SafeText.forLog("x".repeat(2000))).hasSizeLessThan(560).endsWith("...(2000 chars)");
    }
}
