package io.cloudnexus.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The results table: every scenario appends its row to {@code fault.report} (TSV, default
 * {@code target/fault-report.tsv}) BEFORE it asserts, so failing scenarios are reported too, and the table so far
 * is printed. Columns: scenario | sent | received | lost | duplicates | time to drain / to resume | healthy
 * endpoint rate ratio | pass | notes.
 */
final class Report {

    static final String[] HEADER = {
        "scenario", "sent", "received", "lost", "duplicates", "drain / resume", "healthy rate ratio", "pass", "notes"
    };

    private static boolean started;

    private Report() {}

    static synchronized void row(
            String scenario,
            long sent,
            long received,
            long lost,
            long duplicates,
            String time,
            String ratio,
            boolean pass,
            String notes) {
        Path file = file();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            String line = String.join(
                            "\t",
                            clean(scenario),
                            Long.toString(sent),
                            Long.toString(received),
                            Long.toString(lost),
                            Long.toString(duplicates),
                            clean(time),
                            clean(ratio),
                            pass ? "PASS" : "FAIL",
                            clean(notes))
                    + "\n";
            if (!started) { // a new run starts a new table
                Files.deleteIfExists(file);
                started = true;
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
        System.out.println(table());
    }

    static Path file() {
        return Path.of(System.getProperty("fault.report", "target/fault-report.tsv"));
    }

    /** The rows written so far as an aligned text table. */
    static String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        try {
            if (Files.exists(file())) {
                for (String line : Files.readAllLines(file())) {
                    if (!line.isBlank()) {
                        rows.add(line.split("\t", -1));
                    }
                }
            }
        } catch (IOException e) {
            return "(cannot read " + file() + ")";
        }
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < Math.min(r.length, width.length); i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder("\n");
        for (int n = 0; n < rows.size(); n++) {
            String[] r = rows.get(n);
            for (int i = 0; i < width.length; i++) {
                String cell = i < r.length ? r[i] : "";
                out.append(i == 0 ? "| " : " | ").append(cell).append(" ".repeat(width[i] - cell.length()));
            }
            out.append(" |\n");
            if (n == 0) {
                for (int i = 0; i < width.length; i++) {
                    out.append(i == 0 ? "|-" : "-|-").append("-".repeat(width[i]));
                }
                out.append("-|\n");
            }
        }
        return out.toString();
    }

    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("[\\t\\r\\n]+", " ");
    }
}
