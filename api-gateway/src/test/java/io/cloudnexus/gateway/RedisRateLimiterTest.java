package io.cloudnexus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudnexus.gateway.service.RateLimiter;
import io.cloudnexus.gateway.service.RedisRateLimiter;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;

/**
 * The Redis store against the local Redis (127.0.0.1:6379): two limiters, as on two gateway replicas,
 * enforce one limit exactly, also under concurrency, and the window expires.
 */
@QuarkusTest
@GatewayTest
class RedisRateLimiterTest {

    @Inject
    RedisDataSource redis;

    @Inject
    Redis client;

    private RedisRateLimiter replica(String prefix, Duration window) {
        // a generous timeout: these tests are about exact counting, not about a slow Redis
        return new RedisRateLimiter(client, prefix, window, Duration.ofSeconds(5), 3, Duration.ofSeconds(5));
    }

    @Test
    void twoReplicasShareOneStarterLimit() {
        String prefix = "cn:test:" + UUID.randomUUID() + ":";
        RateLimiter a = replica(prefix, Duration.ofSeconds(60));
        RateLimiter b = replica(prefix, Duration.ofSeconds(60));
        for (int i = 1; i <= 100; i++) {
            RateLimiter.Decision decision = (i % 2 == 0 ? a : b).hit("acc_shared", 100);
            assertThat(decision.allowed()).as("request %d", i).isTrue();
            assertThat(decision.remaining()).isEqualTo(100 - i);
        }
        RateLimiter.Decision refused = a.hit("acc_shared", 100);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isBetween(1L, 60L);
        assertThat(b.hit("acc_shared", 100).allowed()).isFalse();
        assertThat(b.hit("acc_other", 100).allowed()).isTrue();
    }

    @Test
    void concurrentRequestsOnTwoReplicasAdmitExactlyTheLimit() throws Exception {
        String prefix = "cn:test:" + UUID.randomUUID() + ":";
        RateLimiter a = replica(prefix, Duration.ofSeconds(60));
        RateLimiter b = replica(prefix, Duration.ofSeconds(60));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                RateLimiter limiter = i % 2 == 0 ? a : b;
                calls.add(() -> limiter.hit("acc_concurrent", 100).allowed());
            }
            long allowed = 0;
            for (Future<Boolean> f : pool.invokeAll(calls)) {
                allowed += f.get() ? 1 : 0;
            }
            assertThat(allowed).isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewWindowStartsAfterTheOldOneExpires() {
        String prefix = "cn:test:" + UUID.randomUUID() + ":";
        RateLimiter limiter = replica(prefix, Duration.ofMillis(300));
        assertThat(limiter.hit("acc_window", 1).allowed()).isTrue();
        assertThat(limiter.hit("acc_window", 1).allowed()).isFalse();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> redis.key().exists(prefix + "acc_window") == false);
        assertThat(limiter.hit("acc_window", 1).allowed()).isTrue();
    }
}
