package io.cloudnexus.fault;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cloudnexus.testsupport.CountingReceiver;

/**
 * Lost and duplicated deliveries, counted by (endpoint path, event id): {@code expected} pairs that never
 * arrived are lost; arrivals beyond the first of a pair are duplicates.
 */
record Tally(long expected, long receivedUnique, long arrivals, long lost, long duplicates, long lastArrivalMillis) {

    static Tally of(Map<String, ? extends Set<String>> expectedByPath, List<CountingReceiver.Arrival> arrivals) {
        Map<String, Set<String>> seen = new HashMap<>();
        long dup = 0;
        long unique = 0;
        long last = 0;
        long counted = 0;
        for (CountingReceiver.Arrival a : arrivals) {
            Set<String> wanted = expectedByPath.get(a.path());
            if (wanted == null || !wanted.contains(a.eventId())) {
                continue;
            }
            counted++;
            if (seen.computeIfAbsent(a.path(), k -> new HashSet<>()).add(a.eventId())) {
                unique++;
                last = Math.max(last, a.atMillis());
            } else {
                dup++;
            }
        }
        long expected = expectedByPath.values().stream().mapToLong(Set::size).sum();
        return new Tally(expected, unique, counted, expected - unique, dup, last);
    }

    boolean complete() {
        return lost == 0;
    }

    double duplicateRatio() {
        return receivedUnique == 0 ? 0 : (double) duplicates / receivedUnique;
    }
}
