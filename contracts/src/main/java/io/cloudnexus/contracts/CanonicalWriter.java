package io.cloudnexus.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

/** Tree walker behind {@link CanonicalJson#append}; see that class for the rules. */
final class CanonicalWriter {

    private static final long MAX_ARRAY_INDEX = 4_294_967_294L; // 2^32 - 2

    private CanonicalWriter() {}

    static void write(StringBuilder out, JsonNode node) {
        if (node == null) {
            throw new IllegalArgumentException("null JsonNode (use NullNode for JSON null)");
        }
        JsonNodeType type = node.getNodeType();
        switch (type) {
            case OBJECT -> writeObject(out, node);
            case ARRAY -> writeArray(out, node);
            case STRING -> CanonicalJson.appendString(out, node.textValue());
            case NUMBER -> out.append(number(node));
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            case BINARY -> CanonicalJson.appendString(out, node.asText()); // base64, as Jackson
            case POJO -> write(out, CanonicalJson.mapper().valueToTree(node));
            default -> throw new IllegalArgumentException("cannot write JSON node of type " + type);
        }
    }

    private static String number(JsonNode node) {
        return switch (node.numberType()) {
            case INT, LONG -> JsNumbers.integer(node.longValue());
            case BIG_INTEGER -> JsNumbers.integer(node.bigIntegerValue());
            case BIG_DECIMAL -> JsNumbers.decimal(node.decimalValue());
            case FLOAT -> CanonicalJson.floatText(node.floatValue());
            case DOUBLE -> JsNumbers.ofDouble(node.doubleValue());
        };
    }

    private static void writeArray(StringBuilder out, JsonNode array) {
        out.append('[');
        for (int i = 0; i < array.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            write(out, array.get(i));
        }
        out.append(']');
    }

    private static void writeObject(StringBuilder out, JsonNode object) {
        List<Map.Entry<String, JsonNode>> indexKeys = null;
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (arrayIndex(field.getKey()) >= 0) {
                if (indexKeys == null) {
                    indexKeys = new ArrayList<>();
                }
                indexKeys.add(field);
            }
        }
        out.append('{');
        boolean first = true;
        if (indexKeys != null) {
            indexKeys.sort((a, b) -> Long.compare(arrayIndex(a.getKey()), arrayIndex(b.getKey())));
            for (Map.Entry<String, JsonNode> field : indexKeys) {
                first = member(out, field, first);
            }
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (indexKeys == null || arrayIndex(field.getKey()) < 0) {
                first = member(out, field, first);
            }
        }
        out.append('}');
    }

    private static boolean member(StringBuilder out, Map.Entry<String, JsonNode> field, boolean first) {
        if (!first) {
            out.append(',');
        }
        CanonicalJson.appendString(out, field.getKey());
        out.append(':');
        write(out, field.getValue());
        return false;
    }

    /** The numeric value of a canonical array-index key ("0", "42"), or -1 for any other key. */
    static long arrayIndex(String key) {
        int len = key.length();
        if (len == 0 || len > 10 || (len > 1 && key.charAt(0) == '0')) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < len; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= MAX_ARRAY_INDEX ? value : -1;
    }
}
