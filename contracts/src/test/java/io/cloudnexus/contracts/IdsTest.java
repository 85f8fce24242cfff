package io.cloudnexus.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void eventIdsHavePrefixLengthAndAlphabet() {
        String id = EventIds.newId();
        assertThat(id).startsWith("evt_").hasSize(30).matches("evt_[0-7][0-9a-hjkmnp-tv-z]{25}");
        assertThat(EventIds.isValid(id)).isTrue();
        assertThat(EventIds.isValid("evt_9f8a7b6c5d4e")).isFalse();
        assertThat(EventIds.isValid("evt_81jrvm8k2q5x7a9c3d4e6f8g0h")).isFalse();
        assertThat(EventIds.isValid("evt_01jrvm8k2q5x7a9c3d4e6f8g0i")).isFalse();
        assertThat(EventIds.isValid(null)).isFalse();
    }

    @Test
    void eventIdsEncodeTheirCreationTime() {
        Instant before = Instant.now();
        Instant encoded = EventIds.timestampOf(EventIds.newId());
        assertThat(encoded).isBetween(before.minusMillis(1), Instant.now().plusMillis(1));
    }

    @Test
    void eventIdsAreUniqueAcrossThreads() throws Exception {
        int threads = 8;
        int perThread = 12_500; // 100k in total
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    ids.add(EventIds.newId());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(ids).hasSize(threads * perThread);
    }

    @Test
    void eventIdsSortInGenerationOrderWithinOneThread() {
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            generated.add(EventIds.newId());
        }
        List<String> sorted = new ArrayList<>(generated);
        sorted.sort(null);
        assertThat(sorted).isEqualTo(generated);
        assertThat(generated).doesNotHaveDuplicates();
    }

    @Test
    void eventIdsStayMonotonicWhenTheClockStandsStillOrStepsBack() {
        long[] now = {1_744_713_120_000L};
        Clock clock = new Clock() {
            @Override
            public long millis() {
                return now[0];
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now[0]);
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        // a random source whose low 64 bits are all ones: the next increment carries into the high bits
        Random random = new Random() {
            @Override
            public int nextInt() {
                return 0x0000_0001;
            }

            @Override
            public long nextLong() {
                return -1L;
            }
        };
        EventIds.Generator generator = new EventIds.Generator(clock, random);
        String first = generator.next();
        String second = generator.next(); // same millisecond: +1 with a carry
        now[0] -= 5_000; // clock steps back
        String third = generator.next();
        now[0] += 10_000;
        String fourth = generator.next();
        assertThat(List.of(first, second, third, fourth)).isSorted().doesNotHaveDuplicates();
        // random part: 0x1_ffffffffffffffff, then +1 = 0x2_0000000000000000, then +1 again
        assertThat(first.substring(14)).isEqualTo("000zzzzzzzzzzzzz");
        assertThat(second).isEqualTo(first.substring(0, 14) + "0010000000000000");
        assertThat(third).isEqualTo(first.substring(0, 14) + "0010000000000001");
        assertThat(fourth.substring(14)).isEqualTo("000zzzzzzzzzzzzz");
        assertThat(EventIds.timestampOf(first)).isEqualTo(Instant.ofEpochMilli(1_744_713_120_000L));
        assertThat(EventIds.timestampOf(third)).isEqualTo(EventIds.timestampOf(first));
        assertThat(EventIds.timestampOf(fourth)).isEqualTo(Instant.ofEpochMilli(1_744_713_125_000L));
    }

    @Test
    void resourceIdsUseTheKnownPrefixes() {
        for (String prefix : ResourceIds.PREFIXES) {
            String id = ResourceIds.newId(prefix);
            assertThat(id)
                    .startsWith(prefix)
                    .hasSize(prefix.length() + ResourceIds.RANDOM_LENGTH)
                    .matches("[a-z]{2,3}_[0-9a-hjkmnp-tv-z]{20}");
            assertThat(ResourceIds.isValid(prefix, id)).isTrue();
            assertThat(ResourceIds.prefixOf(id)).contains(prefix);
        }
        assertThat(ResourceIds.PREFIXES)
                .containsExactlyInAnyOrder("srv_", "cls_", "dep_", "inv_", "bkp_", "fw_", "whk_", "acc_");
        assertThat(ResourceIds.newId(ResourceIds.SERVER)).isNotEqualTo(ResourceIds.newId(ResourceIds.SERVER));
    }

    @Test
    void resourceIdsRejectUnknownPrefixes() {
        for (String bad : new String[] {"srv", "SRV_", "evt_", "foo_", "", null}) {
            assertThatThrownBy(() -> ResourceIds.newId(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ResourceIds.isValid(ResourceIds.SERVER, "srv_2x9k4m")).isTrue();
        assertThat(ResourceIds.isValid(ResourceIds.SERVER, "srv-8x29k4")).isFalse();
        assertThat(ResourceIds.isValid(ResourceIds.SERVER, "cls_2x9k4m")).isFalse();
        assertThat(ResourceIds.isValid(ResourceIds.SERVER, "srv_")).isFalse();
        assertThat(ResourceIds.isValid(ResourceIds.SERVER, "srv_ABC")).isFalse();
        assertThat(ResourceIds.prefixOf("xyz_abc")).isEmpty();
        assertThat(ResourceIds.prefixOf("srv-abc")).isEmpty();
    }
}
