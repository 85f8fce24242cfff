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

    @Test
    void secretQueryValuesAreRedacted() {
        assertThat(LogSafe.uri("/v2/events/stream?ticket=tkt_abc&types=server.*"))
                .isEqualTo("/v2/events/stream?ticket=***&types=server.*");
        assertThat(LogSafe.uri("types=a&TICKET=tkt_x&api_key=cn_live_sk_1&key=k&access_token=t#frag"))
                .isEqualTo("types=a&TICKET=***&api_key=***&key=***&access_token=***#frag");
        assertThat(LogSafe.uri("/v2/servers?monkey=1&keys=2")).isEqualTo("/v2/servers?monkey=1&keys=2");
        assertThat(LogSafe.uri("/x?ticket=a\r\nforged")).doesNotContain("\r", "\n", "forged");
        assertThat(LogSafe.uri(null)).isEqualTo("null");
    }
}
