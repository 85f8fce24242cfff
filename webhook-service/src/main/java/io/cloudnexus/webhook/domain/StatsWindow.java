package io.cloudnexus.webhook.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The windows of the delivery health stats ({@code GET /webhooks/{id}/stats?window=}): the last hour in 60 buckets of
 * one minute, the last day in 96 buckets of 15 minutes. Buckets are aligned to multiples of their length since the
 * Unix epoch (so to UTC minutes and quarter hours); the last one is the bucket now falls in (still filling).
 */
public enum StatsWindow {
    HOUR("1h", 60, Duration.ofMinutes(1)),
    DAY("24h", 96, Duration.ofMinutes(15));

    private final String value;
    private final int buckets;
    private final Duration bucket;

    StatsWindow(String value, int buckets, Duration bucket) {
        this.value = value;
        this.buckets = buckets;
        this.bucket = bucket;
    }

    /** As the API spells it: {@code 1h}, {@code 24h}. */
    public String value() {
        return value;
    }

    public int buckets() {
        return buckets;
    }

    public Duration bucket() {
        return bucket;
    }

    /** The start of the first (oldest) bucket of the window that ends with the bucket {@code now} falls in. */
    public Instant start(Instant now) {
        long size = bucket.toSeconds();
        long current = Math.floorDiv(now.getEpochSecond(), size) * size;
        return Instant.ofEpochSecond(current - (buckets - 1) * size);
    }

    /** The end (exclusive) of that window: the end of the bucket {@code now} falls in. */
    public Instant end(Instant now) {
        return start(now).plus(bucket.multipliedBy(buckets));
    }

    public static Optional<StatsWindow> parse(String value) {
        return Arrays.stream(values()).filter(w -> w.value.equals(value)).findFirst();
    }

    /** The values as the API spells them, for error messages. */
    public static List<String> apiValues() {
        return Arrays.stream(values()).map(StatsWindow::value).toList();
    }
}
