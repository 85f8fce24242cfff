package io.cloudnexus.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-replica share of an endpoint's rate limit: the shares of the live replicas never sum above it. */
class TokenBucketTest {

    @Test
    void theSharesOfTheLiveReplicasSumToTheLimit() {
        for (int live = 1; live <= 7; live++) {
            assertThat(TokenBucket.share(200, live) * live).isCloseTo(200, org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(TokenBucket.share(200, 0))
                .as("never fewer than this replica")
                .isEqualTo(200);
    }

    @Test
    void theBurstIsAtMostOneSecondOfTheLimitSplitLikeTheRate() {
        assertThat(TokenBucket.burstShare(40, 200, 2)).isEqualTo(20);
        assertThat(TokenBucket.burstShare(1000, 200, 4)).isEqualTo(50);
        assertThat(TokenBucket.burstShare(1, 200, 3)).as("at least one token").isEqualTo(1);
    }

    @Test
    void aRateChangeTakesEffectAndDropsSavedTokensAboveTheNewBurst() {
        TokenBucket bucket = new TokenBucket(100, 10);
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.take()).isZero();
        }
        assertThat(bucket.take()).isPositive();
        bucket.set(50, 5);
        assertThat(bucket.ratePerSecond()).isEqualTo(50, org.assertj.core.data.Offset.offset(1e-6));
    }
}
