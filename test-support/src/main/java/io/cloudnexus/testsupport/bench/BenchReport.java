package io.cloudnexus.testsupport.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Merges a figures file ({@link BenchFigures}, one JSON figure a line) into the report,
 * {@code {"figures": [{"name", "value", "unit", "target", "met", "floor", "load_average"}, ...]}}, and prints the
 * table. {@code met} is computed again from value and target (a harness in another language, e.g. the gateway's
 * shell script, may leave it out). Usage: {@code BenchReport <figures.jsonl> <report.json>}.
 */
public final class BenchReport {

    private BenchReport() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchReport <figures.jsonl> <report.json>");
            System.exit(2);
        }
        List<Figure> figures = read(Path.of(args[0]));
        write(figures, Path.of(args[1]));
        System.out.print(table(figures));
    }

    /** The figures of a figures file, in order; blank lines skipped; an unreadable line is an error. */
    public static List<Figure> read(Path file) throws IOException {
        List<Figure> figures = new ArrayList<>();
        if (!Files.exists(file)) {
            return figures;
        }
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode f;
            try {
                f = BenchFigures.JSON.readTree(line);
            } catch (IOException e) {
                throw new IOException(file + " line " + n + " is not JSON: " + line, e);
            }
            if (!f.path("name").isTextual() || !f.path("value").isNumber()) {
                throw new IOException(file + " line " + n + " lacks a name or a numeric value: " + line);
            }
            figures.add(Figure.of(
                    f.path("name").asText(),
                    f.path("value").asDouble(),
                    f.path("unit").asText(""),
                    text(f.get("target")),
                    number(f.get("floor")),
                    number(f.get("load_average"))));
        }
        return figures;
    }

    /** Writes {@code {"figures": [...]}} (pretty-printed). */
    public static void write(List<Figure> figures, Path report) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("figures", figures);
        Path parent = report.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.write(
                report,
                BenchFigures.JSON
                        .writer()
                        .with(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsBytes(root));
    }

    /** The figures as a text table: name, value, target, met, floor, load average. */
    public static String table(List<Figure> figures) {
        int width = Math.max(
                6, figures.stream().mapToInt(f -> f.name().length()).max().orElse(6));
        StringBuilder out = new StringBuilder();
        String row = "%-" + width + "s  %14s  %-10s  %-6s  %12s  %5s%n";
        out.append(String.format(row, "figure", "value", "target", "met", "floor", "load"));
        for (Figure f : figures) {
            out.append(String.format(
                    row,
                    f.name(),
                    BenchFigures.format(f.value()) + " " + f.unit(),
                    f.target() == null ? "" : f.target(),
                    f.met() == null ? "" : f.met() ? "yes" : "MISSED",
                    f.floor() == null ? "" : BenchFigures.format(f.floor()) + " " + f.unit(),
                    f.loadAverage() == null ? "?" : String.format("%.2f", f.loadAverage())));
        }
        return out.toString();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
    }

    private static Double number(JsonNode n) {
        return n == null || !n.isNumber() ? null : n.asDouble();
    }
}
