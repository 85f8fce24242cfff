package io.cloudnexus.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.cloudnexus.webhook.delivery.ConcurrencyLimit.Signal;

/** The AIMD limit on its own: every time is given, so each step is exact. */
class ConcurrencyLimitTest {

    private static final long MS = 1_000_000L;

    /** initial 8, min 1, max 64, halve on overload, x0.9 on latency, tolerance 2x + 5 ms, window 10. */
    private static ConcurrencyLimit limit() {
        return new ConcurrencyLimit(8, 1, 64, 0.5, 0.9, 2.0, 5 * MS, 10);
    }

    /** Feeds {@code n} answers of {@code latencyMs} each, the lane full ({@code inFlight = limit}); returns the clock. */
    private static long answers(ConcurrencyLimit l, int n, long latencyMs, long clock) {
        for (int i = 0; i < n; i++) {
            clock += MS;
            l.onSample(clock - latencyMs * MS, clock, l.current(), Signal.ANSWERED);
        }
        return clock;
    }

    @Test
    void growsByAboutOnePerRoundTripWhileAnswersStayNearTheBaseline() {
        ConcurrencyLimit l = limit();
        // +1/limit per answer: 8 answers (one round trip of the limit) bring 8.0 to 8.95, the ninth past 9
        answers(l, 8, 10, 0);
        assertThat(l.current()).isEqualTo(8);
        answers(l, 1, 10, 100 * MS);
        assertThat(l.current()).isEqualTo(9);
        answers(l, 10, 10, 200 * MS);
        assertThat(l.current()).isEqualTo(10);
    }

    @Test
    void reachesItsMaximumAndNoMore() {
        ConcurrencyLimit l = limit();
        answers(l, 10_000, 10, 0);
        assertThat(l.current()).isEqualTo(64);
    }

    @Test
    void doesNotGrowWhileTheLaneUsesLessThanHalfOfIt() {
        ConcurrencyLimit l = limit();
        for (int i = 0; i < 1000; i++) {
            l.onSample(i * MS, i * MS + 10 * MS, 3, Signal.ANSWERED); // 3 in flight of 8
        }
        assertThat(l.current()).isEqualTo(8);
    }

    @Test
    void anOverloadHalvesItOncePerRoundTrip() {
        ConcurrencyLimit l = limit();
        long clock = answers(l, 200, 10, 0);
        int before = l.current();
        assertThat(before).isGreaterThan(16);
        // every request in flight times out: they all started before the first cut, so only the first one cuts
        long cutAt = clock + 5_000 * MS;
        for (int i = 0; i < before; i++) {
            l.onSample(clock - i * MS, cutAt + i * MS, before - i, Signal.OVERLOAD);
        }
        assertThat(l.current()).isEqualTo(before / 2);
        // a request started after that cut fails too: a second cut
        l.onSample(cutAt + 1, cutAt + 100 * MS, 1, Signal.OVERLOAD);
        assertThat(l.current()).isEqualTo(before / 4);
    }

    @Test
    void neverGoesBelowItsMinimum() {
        ConcurrencyLimit l = limit();
        for (int i = 1; i <= 20; i++) {
            l.onSample(i * 100 * MS, i * 100 * MS + 50 * MS, 1, Signal.OVERLOAD);
        }
        assertThat(l.current()).isEqualTo(1);
        // and grows back from there once the endpoint answers well again
        answers(l, 3, 10, 10_000 * MS);
        assertThat(l.current()).isEqualTo(2);
    }

    @Test
    void aRisingLatencyCutsItGently() {
        ConcurrencyLimit l = limit();
        long clock = answers(l, 100, 10, 0); // baseline and smoothed latency 10 ms: near is up to 2 x 10 + 5 ms
        int before = l.current();
        // one late answer moves the smoothed latency by a tenth of the difference (to 19 ms): no cut
        clock += 10 * MS;
        l.onSample(clock - 100 * MS, clock, before, Signal.ANSWERED);
        assertThat(l.current()).isGreaterThanOrEqualTo(before);
        // answers that stay at 40 ms bring it above 25 ms: cut by 0.9, once (the next ones started before the cut)
        int near = l.current();
        answers(l, 20, 40, clock);
        assertThat(l.current()).as("x0.9").isBetween(near * 9 / 10 - 1, near - 1);
    }

    @Test
    void aRisingLatencyAloneNeverCutsBelowTheInitialLimitAnOverloadDoes() {
        ConcurrencyLimit l = limit();
        long clock = answers(l, 20, 1, 0); // baseline 1 ms: near is up to 7 ms
        assertThat(l.current()).isGreaterThan(8);
        // a busy host: answers take 50 ms, each a round trip after the previous (so each may cut)
        for (int i = 0; i < 10; i++) {
            clock += 60 * MS;
            l.onSample(clock - 50 * MS, clock, l.current(), Signal.ANSWERED);
        }
        assertThat(l.current()).as("latency cuts stop at the initial 8").isEqualTo(8);
        l.onSample(clock + 1, clock + 10 * MS, 1, Signal.OVERLOAD);
        assertThat(l.current()).as("an overload goes below it").isEqualTo(4);
        // below the initial limit any answer grows it back, however slow, up to the initial limit and no further
        answers(l, 5, 500, clock + 100_000 * MS);
        assertThat(l.current()).isEqualTo(5);
    }

    @Test
    void slowAnswersGrowItBackToTheInitialLimitAndNoFurther() {
        // a long baseline window: the baseline stays at 1 ms, so every 50 ms answer is slow
        ConcurrencyLimit l = new ConcurrencyLimit(8, 1, 64, 0.5, 0.9, 2.0, 5 * MS, 1_000_000);
        long clock = answers(l, 5, 1, 0);
        l.onSample(clock + 1, clock + 10 * MS, 1, Signal.OVERLOAD);
        assertThat(l.current()).isEqualTo(4);
        answers(l, 500, 50, clock + 1000 * MS);
        assertThat(l.current()).isEqualTo(8);
    }

    @Test
    void aPermanentlySlowerEndpointGetsANewBaselineAndGrowsAgain() {
        ConcurrencyLimit l = limit();
        long clock = answers(l, 20, 10, 0);
        assertThat(l.baselineNanos()).isEqualTo(10 * MS);
        // from now on every answer takes 100 ms: cut (once per round trip) until the old window is forgotten
        clock = answers(l, 20, 100, clock + 1000 * MS);
        assertThat(l.baselineNanos()).isEqualTo(100 * MS);
        int low = l.current();
        answers(l, 200, 100, clock + 1000 * MS);
        assertThat(l.current()).isGreaterThan(low);
    }

    @Test
    void answersThatSayNothingAboutLoadChangeNothing() {
        ConcurrencyLimit l = limit();
        for (int i = 0; i < 100; i++) {
            assertThat(l.onSample(0, i * MS, 8, Signal.NONE)).isFalse();
        }
        assertThat(l.current()).isEqualTo(8);
        assertThat(l.baselineNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void refusesNonsenseBounds() {
        assertThatThrownBy(() -> new ConcurrencyLimit(8, 0, 64, 0.5, 0.9, 2, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConcurrencyLimit(8, 10, 5, 0.5, 0.9, 2, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConcurrencyLimit(8, 1, 64, 1.0, 0.9, 2, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ConcurrencyLimit(100, 1, 64, 0.5, 0.9, 2, 0, 10).current())
                .as("the initial value is clamped")
                .isEqualTo(64);
    }
}
