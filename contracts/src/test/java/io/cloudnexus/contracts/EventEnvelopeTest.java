package io.cloudnexus.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

class EventEnvelopeTest {

    private static final Instant TS = Instant.parse("2025-04-15T10:32:00.987654Z");

    /** Data objects that stress the canonical writer, as JSON written in Java source. */
    static Stream<Arguments> trickyData() {
        return Stream.of(
                Arguments.of("unicode", "{\"name\":\"café ☁ 日本\",\"city\":\"Zürich\"}"),
                Arguments.of("emoji", "{\"note\":\"deploy 🚀 done 👍🏽\",\"flag\":\"🇫🇷\"}"),
                Arguments.of("quotes and backslash", "{\"msg\":\"he said \\\"hi\\\" C:\\\\path\\\\x /a/b\"}"),
                Arguments.of("whitespace controls", "{\"msg\":\"line1\\nline2\\r\\n\\ttab\\b\\f\"}"),
                Arguments.of("other controls", "{\"msg\":\"\\u0000\\u0001\\u001f\\u007f end\"}"),
                Arguments.of("line separators", "{\"msg\":\"a\\u2028b\\u2029c\"}"),
                Arguments.of("lone surrogate", "{\"msg\":\"bad \\ud800 half\"}"),
                Arguments.of(
                        "large integers",
                        "{\"max\":9007199254740991,\"min\":-9007199254740991,\"cents\":123456789012}"),
                Arguments.of(
                        "numbers", "{\"zero\":0,\"neg\":-42,\"float\":1.0,\"frac\":0.25,\"tiny\":1e-7,\"huge\":1e21}"),
                Arguments.of("nested arrays", "{\"m\":[[1,2],[],[[\"x\",null,true]],[{\"k\":[false]}]]}"),
                Arguments.of("empty object", "{}"),
                Arguments.of("empty strings and keys", "{\"\":\"\",\"e\":\"\"}"),
                Arguments.of("index-like keys", "{\"b\":1,\"7\":2,\"a\":3,\"0\":4}"),
                Arguments.of(
                        "catalog sample",
                        CanonicalJson.toJson(
                                EventCatalog.load().get("firewall.updated").sample())));
    }

    private static EventEnvelope envelope(String dataJson) {
        return new EventEnvelope(
                "server.provisioned", "evt_01jrvm8k2q5x7a9c3d4e6f8g0h", TS, CanonicalJson.parse(dataJson));
    }

    @Test
    void wireFormIsExact() {
        EventEnvelope envelope = envelope("{\"server_id\":\"srv_a1\",\"region\":\"us-east-1\",\"status\":\"active\","
                + "\"ip\":\"192.168.1.45\"}");
        assertThat(envelope.timestamp()).isEqualTo(Instant.parse("2025-04-15T10:32:00Z"));
        assertThat(envelope.toJson())
                .isEqualTo("{\"event\":\"server.provisioned\",\"id\":\"evt_01jrvm8k2q5x7a9c3d4e6f8g0h\","
                        + "\"timestamp\":\"2025-04-15T10:32:00Z\",\"data\":{\"server_id\":\"srv_a1\",\"region\":\"us-east-1\","
                        + "\"status\":\"active\",\"ip\":\"192.168.1.45\"}}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trickyData")
    void splicingRawDataEqualsSerialisingTheTree(String name, String dataJson) {
        EventEnvelope envelope = envelope(dataJson);
        String data = CanonicalJson.toJson(envelope.data());
        assertThat(EventEnvelope.toJson(envelope.event(), envelope.id(), TS, data))
                .isEqualTo(envelope.toJson());
        assertThat(EventEnvelope.toJsonBytes(
                        envelope.event(), envelope.id(), TS, data.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(envelope.toJsonBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trickyData")
    void jacksonParseAndCanonicalReserialiseIsByteIdentical(String name, String dataJson) {
        EventEnvelope envelope = envelope(dataJson);
        byte[] wire = envelope.toJsonBytes();
        JsonNode reparsed = CanonicalJson.parse(wire);
        assertThat(CanonicalJson.toBytes(reparsed)).isEqualTo(wire);
        EventEnvelope parsed = EventEnvelope.parse(new String(wire, StandardCharsets.UTF_8));
        assertThat(List.of(parsed.event(), parsed.id(), parsed.timestamp()))
                .isEqualTo(List.of(envelope.event(), envelope.id(), envelope.timestamp()));
        assertThat(parsed.toJsonBytes()).isEqualTo(wire);
        assertThat(new String(wire, StandardCharsets.UTF_8)).doesNotContain("\n", "\\u00e9", "\\/", ".0,", ".0}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trickyData")
    void nodeJsonStringifyOfJsonParseIsByteIdentical(String name, String dataJson) throws Exception {
        Assertions.assertTrue(
                NodeJs.executable().isPresent(), "node is not on the PATH: install Node.js (.ci/run does)");
        byte[] wire = envelope(dataJson).toJsonBytes();
        assertThat(NodeJs.reserialize(wire)).isEqualTo(wire);
    }

    @Test
    void parseRejectsWhatIsNotAnEnvelope() {
        String data = ",\"data\":{}}";
        assertThatThrownBy(() -> EventEnvelope.parse("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> EventEnvelope.parse("{\"event\":\"a.b\",\"timestamp\":\"2025-04-15T10:32:00Z\"" + data))
                .hasMessageContaining("id");
        assertThatThrownBy(() -> EventEnvelope.parse(
                        "{\"event\":\"a.b\",\"id\":\"x_1\",\"timestamp\":\"2025-04-15T10:32:00Z\"" + data))
                .hasMessageContaining("evt_");
        assertThatThrownBy(() -> EventEnvelope.parse(
                        "{\"event\":\"a.b\",\"id\":\"evt_1\",\"timestamp\":\"2025-04-15 10:32\"" + data))
                .hasMessageContaining("timestamp");
        assertThatThrownBy(() -> EventEnvelope.parse(
                        "{\"event\":\"a.b\",\"id\":\"evt_1\",\"timestamp\":\"2025-02-30T10:32:00Z\"" + data))
                .hasMessageContaining("timestamp");
        assertThatThrownBy(() -> EventEnvelope.parse(
                        "{\"event\":\"a.b\",\"id\":\"evt_1\",\"timestamp\":\"2025-04-15T10:32:00Z\"," + "\"data\":[]}"))
                .hasMessageContaining("data");
        assertThatThrownBy(() -> EventEnvelope.parse(
                        "{\"event\":\"a.b\",\"id\":\"evt_1\",\"timestamp\":\"2025-04-15T10:32:00Z\"," + "\"extra\":1"
                                + data))
                .hasMessageContaining("extra");
    }

    @Test
    void splicingRejectsDataThatIsNotAnObject() {
        assertThatThrownBy(() -> EventEnvelope.toJson("a.b", "evt_1", TS, "[1]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventEnvelope.toJson("a.b", "evt_1", TS, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventEnvelope.toJsonBytes("a.b", "evt_1", TS, new byte[] {'n'}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createUsesAFreshIdAndNow() {
        Instant before = Instant.now().minusSeconds(1);
        EventEnvelope envelope = EventEnvelope.create(
                "server.terminated",
                EventCatalog.load().get("server.terminated").sample());
        assertThat(EventIds.isValid(envelope.id())).isTrue();
        assertThat(envelope.timestamp()).isBetween(before, Instant.now());
        assertThat(envelope.timestamp().getNano()).isZero();
        assertThat(EventEnvelope.formatTimestamp(Instant.parse("2025-01-05T04:03:02.999Z")))
                .isEqualTo("2025-01-05T04:03:02Z");
    }
}
