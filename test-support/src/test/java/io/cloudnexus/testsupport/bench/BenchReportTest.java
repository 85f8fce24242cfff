package io.cloudnexus.testsupport.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class BenchReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void metIsComputedFromTheTargetString() {
        assertThat(Target.met(12.3, "< 50")).isTrue();
        assertThat(Target.met(50, "< 50")).isFalse();
        assertThat(Target.met(50, "<= 50")).isTrue();
        assertThat(Target.met(0.74, ">= 0.75")).isFalse();
        assertThat(Target.met(0.75, ">= 0.75")).isTrue();
        assertThat(Target.met(15_000, ">= 15,000")).isTrue();
        assertThat(Target.met(14_999, ">=15000")).isFalse();
        assertThat(Target.met(2.5, "> 2")).isTrue();
        assertThatThrownBy(() -> Target.met(1, "less than 50")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void figuresAppendedByHarnessesMergeIntoTheReportShape() throws Exception {
        Path figures = dir.resolve("bench/figures.jsonl");
        BenchFigures writer = new BenchFigures(figures);
        writer.record("event on Kafka -> webhook received p99", 12.3, "ms", "< 50", 4.1);
        writer.record("sustained deliveries/s", 9_000, "deliveries/s", ">= 15000", null);
        writer.record("floor: Kafka produce -> consume p99", 3.2, "ms");
        // a harness in another language (the gateway's script) writes a line without met and load average
        Files.writeString(
                figures,
                "{\"name\":\"gateway throughput ratio\",\"value\":0.8,\"unit\":\"x\",\"target\":\">= 0.75\"}\n\n",
                java.nio.file.StandardOpenOption.APPEND);

        Path report = dir.resolve("bench/report.json");
        BenchReport.main(new String[] {figures.toString(), report.toString()});

        JsonNode root = JSON.readTree(report.toFile());
        assertThat(root.fieldNames()).toIterable().containsExactly("figures");
        JsonNode list = root.path("figures");
        assertThat(list).hasSize(4);
        JsonNode first = list.get(0);
        assertThat(first.fieldNames())
                .toIterable()
                .containsExactly("name", "value", "unit", "target", "met", "floor", "load_average");
        assertThat(first.path("name").asText()).isEqualTo("event on Kafka -> webhook received p99");
        assertThat(first.path("value").asDouble()).isEqualTo(12.3);
        assertThat(first.path("unit").asText()).isEqualTo("ms");
        assertThat(first.path("target").asText()).isEqualTo("< 50");
        assertThat(first.path("met").asBoolean()).isTrue();
        assertThat(first.path("floor").asDouble()).isEqualTo(4.1);
        assertThat(first.path("load_average").isNumber()).isTrue();

        assertThat(list.get(1).path("met").isBoolean()).isTrue();
        assertThat(list.get(1).path("met").asBoolean()).isFalse();
        assertThat(list.get(1).path("floor").isNull()).isTrue();
        assertThat(list.get(2).path("target").isNull()).isTrue();
        assertThat(list.get(2).path("met").isNull()).isTrue();
        assertThat(list.get(3).path("met").asBoolean()).isTrue();
        assertThat(list.get(3).path("load_average").isNull()).isTrue();

        String table = BenchReport.table(BenchReport.read(figures));
        assertThat(table).contains("MISSED").contains("gateway throughput ratio");
    }

    @Test
    void aLineThatIsNotAFigureFailsTheMerge() throws Exception {
        Path figures = dir.resolve("figures.jsonl");
        Files.write(figures, List.of("{\"name\":\"x\",\"value\":\"fast\"}"));
        assertThatThrownBy(() -> BenchReport.read(figures)).hasMessageContaining("line 1");
    }

    @Test
    void percentilesAreNearestRank() {
        double[] samples = new double[100];
        for (int i = 0; i < 100; i++) {
            samples[i] = 100 - i;
        }
        assertThat(Floors.percentile(samples, 50)).isEqualTo(50);
        assertThat(Floors.percentile(samples, 99)).isEqualTo(99);
        assertThat(Floors.percentile(samples, 100)).isEqualTo(100);
    }
}
