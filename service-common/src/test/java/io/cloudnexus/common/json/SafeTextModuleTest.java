package io.cloudnexus.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Every way a request string reaches a service's objects is checked, and the failure knows the field. */
class SafeTextModuleTest {

    public record Pool(String name) {}

    public record Body(
            String name, List<Pool> pools, List<String> tags, Map<String, Object> labels, JsonNode payload) {}

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new SafeTextModule());

    @Test
    void safeTextPassesUnchanged() throws Exception {
        Body body = mapper.readValue(
                "{\"name\":\"caf\\u00e9\\n\",\"pools\":[{\"name\":\"a\"}],\"tags\":[\"x\"],"
                        + "\"labels\":{\"k\":\"v\"},\"payload\":{\"a\":[\"\\ud83d\\ude80\"]}}",
                Body.class);
        assertThat(body.name()).isEqualTo("caf\u00e9\n");
        assertThat(body.payload().path("a").get(0).asText()).isEqualTo("\ud83d\ude80");
        assertThat(mapper.readValue("{\"payload\":null}", Body.class).payload().isNull())
                .isTrue();
        // an absent tree stays null, as with Jackson's own deserializer (records: "not given" differs from null)
        assertThat(mapper.readValue("{}", Body.class).payload()).isNull();
    }

    @Test
    void unsafeTextIsRefusedWithItsPath() {
        assertThat(path("{\"name\":\"a\\u0000b\"}")).isEqualTo("name");
        assertThat(path("{\"pools\":[{\"name\":\"ok\"},{\"name\":\"\\u0007\"}]}"))
                .isEqualTo("pools[1].name");
        assertThat(path("{\"tags\":[\"ok\",\"\\ud800\"]}")).isEqualTo("tags[1]");
        assertThat(path("{\"labels\":{\"k\":\"\\u0000\"}}")).isEqualTo("labels.k");
        assertThat(path("{\"labels\":{\"k\\u0000\":\"v\"}}")).startsWith("labels");
        assertThat(path("{\"payload\":{\"a\":[1,{\"b\":\"\\u007f\"}]}}")).isEqualTo("payload.a[1].b");
        assertThat(path("{\"payload\":{\"b\\u0000\":1}}")).isEqualTo("payload.b\u0000");
    }

    @Test
    void aBareTreeOrMapIsCheckedToo() {
        assertThat(catchThrowableOfType(
                        UnsafeTextException.class, () -> mapper.readValue("{\"a\":\"\\u0000\"}", JsonNode.class)))
                .isNotNull();
        assertThat(catchThrowableOfType(
                        UnsafeTextException.class,
                        () -> mapper.readValue("{\"a\":\"\\u0000\"}", new TypeReference<Map<String, String>>() {})))
                .isNotNull();
    }

    private String path(String json) {
        UnsafeTextException e =
                catchThrowableOfType(UnsafeTextException.class, () -> mapper.readValue(json, Body.class));
        assertThat(e).as(json).isNotNull();
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
