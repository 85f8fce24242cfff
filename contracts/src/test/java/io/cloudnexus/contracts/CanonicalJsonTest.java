package io.cloudnexus.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

class CanonicalJsonTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void stringsAreEscapedExactlyLikeJsonStringify() {
        String text = "q\" b\\ /slash \b\f\n\r\t \u0000\u0001\u001f\u007f café ☁ 日本 😀 \u2028\u2029";
        assertThat(CanonicalJson.quote(text))
                .isEqualTo(
                        "\"q\\\" b\\\\ /slash \\b\\f\\n\\r\\t \\u0000\\u0001\\u001f\u007f café ☁ 日本 😀 \u2028\u2029\"");
    }

    @Test
    void loneSurrogatesAreEscapedInLowercase() {
        assertThat(CanonicalJson.quote("a\uD800b")).isEqualTo("\"a\\ud800b\"");
        assertThat(CanonicalJson.quote("\uDFFFx\uDBFF")).isEqualTo("\"\\udfffx\\udbff\"");
        assertThat(CanonicalJson.quote("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
    }

    @Test
    void outputIsCompactAndKeepsInsertionOrder() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("zeta", 1);
        data.put("alpha", List.of(true, false));
        data.put("mid", null);
        data.put("nested", Map.of());
        assertThat(CanonicalJson.toJson(data))
                .isEqualTo("{\"zeta\":1,\"alpha\":[true,false],\"mid\":null,\"nested\":{}}");
        assertThat(CanonicalJson.toBytes(data))
                .isEqualTo(CanonicalJson.toJson(data).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void arrayIndexKeysComeFirstInNumericOrderAsInJavaScript() {
        ObjectNode node = NODES.objectNode();
        node.put("b", 1)
                .put("10", 2)
                .put("a", 3)
                .put("2", 4)
                .put("01", 5)
                .put("4294967295", 6)
                .put("0", 7);
        assertThat(CanonicalJson.toJson(node))
                .isEqualTo("{\"0\":7,\"2\":4,\"10\":2,\"b\":1,\"a\":3,\"01\":5,\"4294967295\":6}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1.0, 1",
        "-1.0, -1",
        "0.0, 0",
        "-0.0, 0",
        "0.1, 0.1",
        "1.5, 1.5",
        "-2.25, -2.25",
        "100, 100",
        "1e20, 100000000000000000000",
        "1e21, 1e+21",
        "1.5e21, 1.5e+21",
        "123456789.125, 123456789.125",
        "0.000001, 0.000001",
        "0.0000001, 1e-7",
        "1.25e-7, 1.25e-7",
        "4.9e-324, 5e-324",
        "1.7976931348623157e308, 1.7976931348623157e+308",
        "9007199254740993.0, 9007199254740992",
        "2e-323, 2e-323",
        "0.3, 0.3",
        "5e-7, 5e-7"
    })
    void doublesPrintAsJavaScriptPrintsThem(double value, String expected) {
        assertThat(CanonicalJson.toJson(NODES.numberNode(value))).isEqualTo(expected);
    }

    @Test
    void integersOutsideTheJavaScriptSafeRangeAreRejected() {
        assertThat(CanonicalJson.toJson(NODES.numberNode(9007199254740991L))).isEqualTo("9007199254740991");
        assertThat(CanonicalJson.toJson(NODES.numberNode(-9007199254740991L))).isEqualTo("-9007199254740991");
        assertThatThrownBy(() -> CanonicalJson.toJson(NODES.numberNode(9007199254740992L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("safe range");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"n\":12345678901234567890}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.toJson(NODES.numberNode(new BigInteger("99999999999999999999"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherNumberKindsAreNormalised() {
        assertThat(CanonicalJson.toJson(NODES.numberNode(new BigDecimal("12.500"))))
                .isEqualTo("12.5");
        assertThat(CanonicalJson.toJson(NODES.numberNode(new BigDecimal("12.000"))))
                .isEqualTo("12");
        assertThat(CanonicalJson.toJson(NODES.numberNode(new BigDecimal("1E+3"))))
                .isEqualTo("1000");
        assertThat(CanonicalJson.toJson(NODES.numberNode(0.1f))).isEqualTo("0.1");
        assertThat(CanonicalJson.toJson(NODES.numberNode((short) 7))).isEqualTo("7");
        assertThat(CanonicalJson.canonicalize("{ \"a\" : 1.0 , \"b\" : [ 2.50, -0 ] }"))
                .isEqualTo("{\"a\":1,\"b\":[2.5,0]}");
    }

    @Test
    void nonFiniteNumbersAreRejected() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> CanonicalJson.toJson(NODES.numberNode(bad)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void parsingIsStrict() {
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":1,\"a\":2}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":1} x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.parse("{a:1}")).isInstanceOf(IllegalArgumentException.class);
        assertThat(CanonicalJson.parse("{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                        .path("a")
                        .intValue())
                .isEqualTo(1);
    }

    @Test
    void randomDoublesRoundTripInJavaAndMatchNodeByteForByte() throws Exception {
        SplittableRandom random = new SplittableRandom(20250415);
        var array = NODES.arrayNode();
        for (int i = 0; i < 20_000; i++) {
            double value = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(random.nextLong()); // any bit pattern, subnormals included
                case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
                case 2 -> Math.round(random.nextDouble() * 1e6) / 100.0; // "money-like"
                default -> (double) random.nextLong(-(1L << 53), 1L << 53);
            };
            if (!Double.isFinite(value)) {
                continue;
            }
            String text = CanonicalJson.toJson(NODES.numberNode(value));
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(value == 0 ? 0.0 : value);
            array.add(value);
        }
        Assertions.assertTrue(
                NodeJs.executable().isPresent(), "node is not on the PATH: install Node.js (.ci/run does)");
        byte[] ours = CanonicalJson.toBytes(array);
        assertThat(new String(NodeJs.reserialize(ours), StandardCharsets.UTF_8))
                .isEqualTo(new String(ours, StandardCharsets.UTF_8));
    }

    @Test
    void mapperIsShared() {
        assertThat(CanonicalJson.mapper()).isSameAs(CanonicalJson.mapper());
        JsonNode tree = CanonicalJson.mapper().valueToTree(Map.of("k", "v"));
        assertThat(CanonicalJson.toJson(tree)).isEqualTo("{\"k\":\"v\"}");
    }
}
