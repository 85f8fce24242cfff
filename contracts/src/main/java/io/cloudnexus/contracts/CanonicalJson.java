package io.cloudnexus.contracts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one place that turns JSON values into canonical JSON text: the bytes that go on the wire
 * (webhook bodies, Kafka record values) and that receivers may re-serialise before verifying a
 * signature. The defining property: for every output {@code s},
 * {@code JSON.stringify(JSON.parse(s)) === s} in JavaScript.
 *
 * <p>Rules (exactly what {@code JSON.stringify} produces):
 * <ul>
 *   <li>Compact: no whitespace. Object keys keep their insertion order, except that keys which
 *       are array indices ({@code "0"}, {@code "17"}, up to 2^32-2) come first in ascending
 *       numeric order, as JavaScript objects order them.</li>
 *   <li>Strings: {@code \"}, {@code \\}, {@code \b \f \n \r \t}; other characters below U+0020 as
 *       lowercase <code>&#92;u00xx</code>; lone surrogates as lowercase <code>&#92;udxxx</code>; everything else,
 *       including non-ASCII, {@code /}, U+2028 and U+2029, written as is (UTF-8).</li>
 *   <li>Numbers: event data uses integers, strings and booleans. Integers must lie within
 *       JavaScript's safe range (+/-(2^53-1)); larger ones are rejected (JavaScript would silently
 *       change them; send such values as strings). A double whose value is integral prints as an
 *       integer ({@code 1.0} prints {@code 1}); other doubles print the shortest form JavaScript
 *       prints ({@code 0.1}, {@code 1e-7}, {@code 1.5e+300}). NaN and infinities are rejected.
 *       Floats print as the double nearest their shortest decimal text.</li>
 * </ul>
 *
 * <p>All methods are thread-safe.
 */
public final class CanonicalJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CanonicalJson() {}

    /**
     * The shared, pre-configured mapper for parsing (duplicate keys and trailing tokens are
     * errors; integers parse to int/long/BigInteger nodes, decimals to doubles, as in
     * JavaScript). Do not reconfigure it; call {@code mapper().copy()} to customise. Its own
     * serialisation is NOT canonical: write with {@link #toJson(JsonNode)}.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses JSON text into a tree; throws {@link IllegalArgumentException} if malformed. */
    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses UTF-8 JSON bytes into a tree; throws {@link IllegalArgumentException} if malformed. */
    public static JsonNode parse(byte[] utf8) {
        try {
            return MAPPER.readTree(utf8);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
        }
    }

    /** Canonical JSON text of a tree. */
    public static String toJson(JsonNode node) {
        StringBuilder out = new StringBuilder(128);
        append(out, node);
        return out.toString();
    }

    /**
     * Canonical JSON text of any value Jackson can turn into a tree: a {@code Map}, a
     * {@code List}, a record or bean, a {@link JsonNode}, a string, a number...
     */
    public static String toJson(Object value) {
        JsonNode node = value instanceof JsonNode n ? n : MAPPER.valueToTree(value);
        return toJson(node == null ? MAPPER.nullNode() : node);
    }

    /** UTF-8 bytes of {@link #toJson(Object)}. */
    public static byte[] toBytes(Object value) {
        return toJson(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Re-writes arbitrary JSON text in canonical form (parse, then {@link #toJson(JsonNode)}). */
    public static String canonicalize(String json) {
        return toJson(parse(json));
    }

    /** Appends the canonical form of {@code node} to {@code out}. */
    public static void append(StringBuilder out, JsonNode node) {
        CanonicalWriter.write(out, node);
    }

    /** The canonical JSON string literal (with quotes) of {@code text}. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        appendString(out, text);
        return out.toString();
    }

    /** Appends the canonical JSON string literal (with quotes) of {@code text} to {@code out}. */
    public static void appendString(StringBuilder out, String text) {
        out.append('"');
        int len = text.length();
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1))) {
                            out.append(c).append(text.charAt(++i));
                        } else {
                            unicodeEscape(out, c);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicodeEscape(out, c); // a low surrogate without its high half
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        out.append("0".repeat(4 - hex.length())).append(hex);
    }

    /** Canonical text of a float: the double nearest its shortest decimal text. */
    static String floatText(float value) {
        if (!Float.isFinite(value)) {
            return JsNumbers.ofDouble(value); // throws
        }
        return JsNumbers.ofDouble(Double.parseDouble(NumberOutput.toString(value, true)));
    }
}
