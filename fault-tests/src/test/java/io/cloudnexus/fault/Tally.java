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

    /**
     * The duplicates split by cause: {@code acrossKill} counts repeats whose previous arrival of the same pair lies
     * before one of {@code killedAtMillis} and the repeat after it (sent by a process that died before recording the
     * outcome: inherent to at-least-once delivery); {@code withinProcess} counts the rest (repeats by one process,
     * e.g. an attempt that timed out although the receiver had it).
     */
    record Duplicates(long acrossKill, long withinProcess, List<Long> perKill, List<Long> firstCopyAgeMillis) {
        /** The largest time by which a first copy preceded its kill (how far back a kill's unrecorded sends reach). */
        long oldestFirstCopyMillis() {
            return firstCopyAgeMillis.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        /** The median of those times. */
        long medianFirstCopyMillis() {
            List<Long> sorted = firstCopyAgeMillis.stream().sorted().toList();
            return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
        }

        @Override
        public String toString() {
            return acrossKill + " across a kill " + perKill + " (first copy before the kill: median "
                    + medianFirstCopyMillis() + " ms, oldest " + oldestFirstCopyMillis() + " ms), " + withinProcess
                    + " within one process";
        }
    }

    static Duplicates duplicatesByCause(List<CountingReceiver.Arrival> arrivals, List<Long> killedAtMillis) {
        Map<String, Long> previous = new HashMap<>();
        long across = 0;
        long within = 0;
        long[] perKill = new long[killedAtMillis.size()];
        List<Long> ages = new java.util.ArrayList<>();
        List<CountingReceiver.Arrival> ordered = arrivals.stream()
                .sorted(java.util.Comparator.comparingLong(CountingReceiver.Arrival::atMillis))
                .toList();
        for (CountingReceiver.Arrival a : ordered) {
            Long before = previous.put(a.path() + " " + a.eventId(), a.atMillis());
            if (before == null) {
                continue;
            }
            int kill = -1;
            for (int i = 0; i < killedAtMillis.size(); i++) {
                long k = killedAtMillis.get(i);
                if (before <= k && k <= a.atMillis()) {
                    kill = i;
                }
            }
            if (kill >= 0) {
                across++;
                perKill[kill]++;
                ages.add(killedAtMillis.get(kill) - before);
            } else {
                within++;
            }
        }
        return new Duplicates(
                across, within, java.util.Arrays.stream(perKill).boxed().toList(), ages);
    }

    boolean complete() {
        return lost == 0;
    }

    double duplicateRatio() {
        return receivedUnique == 0 ? 0 : (double) duplicates / receivedUnique;
    }
}
