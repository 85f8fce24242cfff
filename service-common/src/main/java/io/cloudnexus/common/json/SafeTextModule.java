package io.cloudnexus.common.json;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.cloudnexus.common.rest.SafeText;

/**
 * Refuses, while a request body is read, every string value, map key and string inside a {@link JsonNode} that
 * {@link SafeText} does not accept, with an {@link UnsafeTextException} that names the field. Registered on the
 * application's ObjectMapper by {@link SafeTextCustomizer}, so every service gets it for every body at once.
 */
public class SafeTextModule extends SimpleModule {

    public SafeTextModule() {
        super("cloudnexus-safe-text");
        addDeserializer(String.class, new SafeStringDeserializer());
        addKeyDeserializer(String.class, new SafeKeyDeserializer());
        addDeserializer(JsonNode.class, new SafeJsonNodeDeserializer());
    }

    static String check(JsonParser parser, String value) throws UnsafeTextException {
        if (!SafeText.isSafe(value)) {
            throw new UnsafeTextException(parser);
        }
        return value;
    }

    /** Jackson's own String handling (numbers and booleans coerced as configured), then the check. */
    static final class SafeStringDeserializer extends StdScalarDeserializer<String> {
        SafeStringDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return check(p, StringDeserializer.instance.deserialize(p, ctxt));
        }
    }

    static final class SafeKeyDeserializer extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            return check(ctxt.getParser(), key);
        }
    }

    /** Trees (free-form payloads) are checked after they are read, naming the offending path. */
    static final class SafeJsonNodeDeserializer extends JsonDeserializer<JsonNode> {
        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = JsonNodeDeserializer.getDeserializer(JsonNode.class).deserialize(p, ctxt);
            walk(p, node);
            return node;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext ctxt) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }

        /** An absent property stays null (as with Jackson's own JsonNode deserializer), an explicit null is NullNode. */
        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }

        private static void walk(JsonParser p, JsonNode node) throws IOException {
            if (node.isTextual()) {
                check(p, node.textValue());
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    try {
                        walk(p, node.get(i));
                    } catch (JsonMappingException e) {
                        throw JsonMappingException.wrapWithPath(e, node, i);
                    }
                }
            } else if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    try {
                        check(p, field.getKey());
                        walk(p, field.getValue());
                    } catch (JsonMappingException e) {
                        throw JsonMappingException.wrapWithPath(e, node, field.getKey());
                    }
                }
            }
        }
    }
}
