package io.cloudnexus.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EcmaRegexFactoryTest {

    @Test
    void aFinalDollarAnchorsAtTheVeryEnd() {
        var regex = EcmaRegexFactory.INSTANCE.getRegularExpression("^srv_[0-9a-z]+$");
        assertThat(regex.matches("srv_abc")).isTrue();
        assertThat(regex.matches("srv_abc\n")).isFalse();
        assertThat(regex.matches("xsrv_abc")).isFalse();
    }

    @Test
    void unanchoredPatternsMatchAnywhereAndEscapedDollarsStayLiteral() {
        assertThat(EcmaRegexFactory.INSTANCE.getRegularExpression("^https?://").matches("https://x"))
                .isTrue();
        assertThat(EcmaRegexFactory.INSTANCE.getRegularExpression("b").matches("abc"))
                .isTrue();
        assertThat(EcmaRegexFactory.toJava("a\\$")).isEqualTo("a\\$");
        assertThat(EcmaRegexFactory.toJava("a\\\\$")).isEqualTo("a\\\\\\z");
        assertThat(EcmaRegexFactory.toJava("^(a|b)$")).isEqualTo("^(a|b)\\z");
    }
}
