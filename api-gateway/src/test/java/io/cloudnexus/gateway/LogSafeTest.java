package io.cloudnexus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.cloudnexus.gateway.problem.LogSafe;

/** Strings from outside are logged without control characters (no forged log lines, no terminal escapes). */
class LogSafeTest {

    @Test
    void controlCharactersAreEscapedAndLongValuesCut() {
        assertThat(LogSafe.clean("/v2/servers\r\nINFO forged line"))
                .isEqualTo("/v2/servers\\u000d\\u000aINFO forged line");
        assertThat(LogSafe.clean("a\u0000b\u001b[31mc\u007fd\u0085e\u2028f"))
                .doesNotContain("\u0000", "\u001b", "\u007f", "\u0085", "\u2028")
                .contains("\\u0000", "\\u001b", "\\u007f", "\\u0085", "\\u2028");
        assertThat(LogSafe.clean("x".repeat(10_000))).hasSizeLessThan(300).endsWith("...");
        assertThat(LogSafe.clean(null)).isEqualTo("null");
        assertThat(LogSafe.clean("plain é ü 日本")).isEqualTo("plain é ü 日本");
    }
}
