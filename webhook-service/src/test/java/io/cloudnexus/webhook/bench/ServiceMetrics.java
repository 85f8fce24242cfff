package io.cloudnexus.webhook.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's Prometheus metrics at one moment, and what changed between two moments: the counters, sums and
 * histogram buckets of a measured phase only (the service's own metrics are cumulative since it started, so a
 * phase's figures must not include the warm-up or an earlier phase). Percentiles are read from the difference of
 * the cumulative buckets (so they are a bucket's upper bound); the service's client-side percentiles (a decaying
 * window) cannot be diffed and are not used.
 */
final class ServiceMetrics {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$");
    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

    private final Map<String, Double> samples;

    private ServiceMetrics(Map<String, Double> samples) {
        this.samples = samples;
    }

    static ServiceMetrics parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        text.lines().filter(l -> !l.startsWith("#")).forEach(l -> {
            Matcher m = SAMPLE.matcher(l.trim());
            if (m.matches()) {
                try {
                    samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
                } catch (NumberFormatException e) {
                    // NaN and the like: not a figure
                }
            }
        });
        return new ServiceMetrics(samples);
    }

    static ServiceMetrics empty() {
        return new ServiceMetrics(Map.of());
    }

    /** The lines describing the timer {@code name} (e.g. {@code webhook_ingest_seconds}) since {@code before}. */
    List<String> timerSince(ServiceMetrics before, String name) {
        double count = delta(before, name + "_count");
        double sum = delta(before, name + "_sum");
        List<String> out = new ArrayList<>();
        if (count <= 0) {
            out.add(String.format("%s: none in this phase", name));
            return out;
        }
        TreeMap<Double, Double> buckets = new TreeMap<>();
        String prefix = name + "_bucket{";
        samples.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                Matcher le = LE.matcher(key);
                if (le.find()) {
                    double bound =
                            le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
                    buckets.merge(bound, value - before.samples.getOrDefault(key, 0.0), Double::sum);
                }
            }
        });
        String percentiles = buckets.isEmpty()
                ? "no histogram"
                : String.format(
                        "p50 <= %s, p99 <= %s (bucket bounds)",
                        millis(percentile(buckets, count, 0.50)), millis(percentile(buckets, count, 0.99)));
        out.add(String.format(
                "%s (this phase): %.0f recorded, mean %s, %s", name, count, millis(sum / count), percentiles));
        return out;
    }

    /** A gauge's value now (e.g. a Kafka client's average), or NaN. */
    List<String> gauges(String contains) {
        List<String> out = new ArrayList<>();
        samples.forEach((key, value) -> {
            if (key.contains(contains)) {
                out.add(String.format("%s = %.3f (now)", key.replaceAll("\\{.*}", ""), value));
            }
        });
        return out;
    }

    double delta(ServiceMetrics before, String key) {
        return samples.getOrDefault(key, 0.0) - before.samples.getOrDefault(key, 0.0);
    }

    /** The smallest bucket bound below which {@code q} of the {@code count} values fall (buckets are cumulative). */
    private static double percentile(TreeMap<Double, Double> cumulative, double count, double q) {
        double rank = Math.ceil(q * count);
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                return e.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static String millis(double seconds) {
        return Double.isInfinite(seconds) ? "+Inf" : String.format("%.1f ms", seconds * 1000);
    }
}
