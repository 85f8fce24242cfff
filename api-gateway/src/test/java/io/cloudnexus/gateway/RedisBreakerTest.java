package io.cloudnexus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.cloudnexus.gateway.service.RateLimiter;
import io.cloudnexus.gateway.service.RedisRateLimiter;
import io.cloudnexus.gateway.service.RedisRateLimiter.Breaker;
import io.cloudnexus.testsupport.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * The Redis store's timeout and breaker: a Redis that accepts and never answers costs each request at
 * most the timeout until the breaker opens, then nothing (counted in memory); a Redis that answers again
 * closes the breaker and counts in Redis again.
 */
@QuarkusTest
@GatewayTest
class RedisBreakerTest {

    @Inject
    Vertx vertx;

    private Redis client(int port) {
        return Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port));
    }

    private static Duration timed(Runnable call) {
        long started = System.nanoTime();
        call.run();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Test
    void aSilentRedisCostsAtMostTheTimeoutThenTheBreakerOpens() {
        try (SilentServer silent = SilentServer.start()) {
            Redis redis = client(silent.port());
            RedisRateLimiter limiter = new RedisRateLimiter(
                    redis,
                    "cn:test:" + UUID.randomUUID() + ":",
                    Duration.ofSeconds(60),
                    Duration.ofMillis(100),
                    3,
                    Duration.ofSeconds(30));
            for (int i = 1; i <= 3; i++) {
                RateLimiter.Decision[] decision = new RateLimiter.Decision[1];
                Duration took = timed(() -> decision[0] = limiter.hit("acc_silent", 10));
                assertThat(took).as("request %d", i).isLessThan(Duration.ofSeconds(1));
                assertThat(decision[0].allowed()).isTrue();
                assertThat(decision[0].remaining()).isEqualTo(10 - i);
            }
            assertThat(limiter.breakerState()).isEqualTo(Breaker.OPEN);
            for (int i = 4; i <= 10; i++) {
                assertThat(timed(() -> limiter.hit("acc_silent", 10))).isLessThan(Duration.ofMillis(50));
            }
            assertThat(limiter.hit("acc_silent", 10).allowed())
                    .as("the in-memory count holds the limit")
                    .isFalse();
            redis.close();
        }
    }

    @Test
    void theBreakerClosesWhenRedisAnswersAgain() {
        try (TcpProxy proxy = TcpProxy.onFreePort().forwardTo("127.0.0.1", 6379)) {
            Redis redis = client(proxy.port());
            RedisRateLimiter limiter = new RedisRateLimiter(
                    redis,
                    "cn:test:" + UUID.randomUUID() + ":",
                    Duration.ofSeconds(60),
                    Duration.ofMillis(500),
                    2,
                    Duration.ofMillis(300));
            for (int i = 0; i < 2; i++) {
                limiter.hit("acc_flaky", 100);
            }
            assertThat(limiter.breakerState()).isEqualTo(Breaker.OPEN);
            proxy.restore();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        limiter.hit("acc_flaky", 100);
                        return limiter.breakerState() == Breaker.CLOSED;
                    });
            assertThat(limiter.hitAsync("acc_flaky", 100)
                            .toCompletionStage()
                            .toCompletableFuture()
                            .join()
                            .allowed())
                    .isTrue();
            redis.close();
        }
    }
}
