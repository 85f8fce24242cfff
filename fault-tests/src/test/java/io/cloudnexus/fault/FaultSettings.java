package io.cloudnexus.fault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sizes and limits of the fault scenarios, from system properties ({@code -Dfault.kill.events=20000}); the
 * defaults are the moderate sizes {@code ./mvnw verify} runs and the pass criteria of the issue.
 * {@code run.sh} passes the full sizes. Every key is listed in docs/fault-tests.md.
 */
final class FaultSettings {

    private FaultSettings() {}

    static int integer(String key, int fallback) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    static double decimal(String key, double fallback) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? fallback : Double.parseDouble(v.trim());
    }

    static Duration seconds(String key, double fallback) {
        return Duration.ofMillis(Math.round(decimal(key, fallback) * 1000));
    }

    /**
     * Extra properties for every service process of the scenarios ({@code -Dfault.service.properties=k=v;k2=v2}),
     * e.g. to try a fix's setting without changing the tests; empty by default (production settings).
     */
    static Map<String, String> serviceProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        String v = System.getProperty("fault.service.properties", "");
        for (String pair : v.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                props.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return props;
    }
}
