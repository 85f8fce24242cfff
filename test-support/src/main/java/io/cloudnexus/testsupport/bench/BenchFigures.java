package io.cloudnexus.testsupport.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where every benchmark harness puts its figures: one JSON line per {@link Figure} appended to the figures file
 * ({@code -Dbench.figures=<path>}, else the environment's {@code BENCH_FIGURES}, else
 * {@code target/bench/figures.jsonl} of the working directory), with the load average read when it is recorded.
 * {@code bench/run-all.sh} points every harness at one file and merges it into {@code report.json}
 * ({@link BenchReport}).
 */
public final class BenchFigures {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public BenchFigures(Path file) {
        this.file = file;
    }

    /** The figures file of this run (see the class comment). */
    public static BenchFigures fromEnvironment() {
        String path = System.getProperty("bench.figures", System.getenv("BENCH_FIGURES"));
        return new BenchFigures(Path.of(path == null || path.isBlank() ? "target/bench/figures.jsonl" : path));
    }

    public Path file() {
        return file;
    }

    /** Records a figure held to {@code target} (null: none) beside {@code floor} (null: none); prints it too. */
    public Figure record(String name, double value, String unit, String target, Double floor) {
        Figure figure = Figure.of(name, value, unit, target, floor, loadAverage());
        append(figure);
        System.out.printf(
                "FIGURE %s: %s %s%s%s (load average %s)%n",
                name,
                format(value),
                unit,
                target == null ? "" : " (target " + target + ": " + (figure.met() ? "met" : "MISSED") + ")",
                floor == null ? "" : ", floor " + format(floor) + " " + unit,
                figure.loadAverage());
        return figure;
    }

    /** An informative figure: no target, no floor. */
    public Figure record(String name, double value, String unit) {
        return record(name, value, unit, null, null);
    }

    /** Appends one figure as a JSON line (created with its directory when missing). */
    public synchronized void append(Figure figure) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(
                    file,
                    JSON.writeValueAsString(figure) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** The 1-minute load average ({@code /proc/loadavg}), or null where there is none. */
    public static Double loadAverage() {
        try {
            return Double.parseDouble(
                    Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 2)[0]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return Math.abs(v) >= 100 ? String.format("%.0f", v) : String.format("%.2f", v);
    }
}
