package io.cloudnexus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The broker's cluster id goes to the storage tool as a command-line argument: one starting with '-' is taken
 * for an option and the format fails ("argument --cluster-id/-t: expected one argument"), which with a plain
 * base64 of random bytes happened once in 64 starts.
 */
class KafkaProcessClusterIdTest {

    @Test
    void clusterIdsAreDistinctBase64UrlAndNeverLookLikeAnOption() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = KafkaProcess.clusterId();
            assertThat(id).matches("[A-Za-z0-9_-]{22}").doesNotStartWith("-");
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }
}
