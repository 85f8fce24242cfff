package io.cloudnexus.contracts;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Random;

/**
 * Event ids: {@code evt_} followed by a 26-character ULID-style id in lowercase Crockford base32,
 * e.g. {@code evt_01jrvm8k2q5x7a9c3d4e6f8g0h}.
 *
 * <p>The 128 bits are a 48-bit Unix timestamp in milliseconds followed by 80 random bits from
 * {@link SecureRandom}. Ids therefore sort (as strings) by creation time. Within one JVM they
 * are also monotonic: an id created in the same millisecond as the previous one (or while the
 * clock steps backwards) is the previous id plus one, so ids generated in sequence sort in
 * generation order. The event id is the idempotency key of an event, identical on every
 * delivery attempt. Thread-safe.
 */
public final class EventIds {

    /** Every event id starts with this. */
    public static final String PREFIX = "evt_";

    /** Length of an id made by {@link #newId()}: the prefix plus 26 characters. */
    public static final int LENGTH = PREFIX.length() + 26;

    private static final Generator GENERATOR = new Generator(Clock.systemUTC(), new SecureRandom());

    private EventIds() {}

    /** A new, unique, time-sortable event id. */
    public static String newId() {
        return GENERATOR.next();
    }

    /** Whether {@code id} has the exact shape {@link #newId()} produces. */
    public static boolean isValid(String id) {
        if (id == null || id.length() != LENGTH || !id.startsWith(PREFIX) || id.charAt(PREFIX.length()) > '7') {
            return false;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (Base32.value(id.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The creation time (millisecond precision) encoded in an id made by {@link #newId()}. */
    public static Instant timestampOf(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("not an event id made by EventIds: " + id);
        }
        long millis = 0;
        for (int i = PREFIX.length(); i < PREFIX.length() + 10; i++) {
            millis = (millis << 5) | Base32.value(id.charAt(i));
        }
        return Instant.ofEpochMilli(millis);
    }

    /** The monotonic generator; package-private so tests can drive it with a fixed clock. */
    static final class Generator {
        private static final long MAX_TIME = (1L << 48) - 1;

        private final Clock clock;
        private final Random random;
        private long lastMillis = -1;
        private long randomHigh; // upper 16 of the 80 random bits
        private long randomLow; // lower 64 of the 80 random bits

        Generator(Clock clock, Random random) {
            this.clock = clock;
            this.random = random;
        }

        synchronized String next() {
            long now = clock.millis();
            if (now > lastMillis) {
                lastMillis = now;
                reseed();
            } else if (++randomLow == 0 && ++randomHigh > 0xFFFF) {
                lastMillis++; // 2^80 ids in one millisecond: borrow the next millisecond
                reseed();
            }
            if (lastMillis > MAX_TIME) {
                throw new IllegalStateException("clock beyond the 48-bit millisecond range");
            }
            return encode(lastMillis, randomHigh, randomLow);
        }

        private void reseed() {
            randomHigh = random.nextInt() & 0xFFFFL;
            randomLow = random.nextLong();
        }

        private static String encode(long millis, long high, long low) {
            char[] chars = new char[LENGTH];
            PREFIX.getChars(0, PREFIX.length(), chars, 0);
            int start = PREFIX.length();
            for (int i = start + 9; i >= start; i--) {
                chars[i] = Base32.digit((int) millis);
                millis >>>= 5;
            }
            for (int i = LENGTH - 1; i >= start + 10; i--) {
                chars[i] = Base32.digit((int) low);
                low = (low >>> 5) | (high << 59);
                high >>>= 5;
            }
            return new String(chars);
        }
    }
}
