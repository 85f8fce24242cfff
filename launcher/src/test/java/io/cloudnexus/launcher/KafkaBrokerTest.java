package io.cloudnexus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The broker's cluster id goes to the storage tool as a command-line argument: one starting with '-' is taken
 * for an option and the format fails ("argument --cluster-id/-t: expected one argument"), which with a plain
 * base64 of random bytes happened once in 64 starts.
 */
class KafkaBrokerTest {

    @Test
    void clusterIdsAreDistinctBase64UrlAndNeverLookLikeAnOption() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = KafkaBroker.newClusterId();
            assertThat(id).matches("[A-Za-z0-9_-]{22}").doesNotStartWith("-");
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void serverPropertiesFillTheTemplateAndApplyOverrides() {
        String props = KafkaBroker.serverProperties(
                19092,
                19093,
                Path.of("/data/kraft"),
                Map.of("num.io.threads", "2", "listeners", "PLAINTEXT://127.0.0.1:19092", "extra.setting", "x"));
        assertThat(props.lines())
                .contains(
                        "advertised.listeners=PLAINTEXT://127.0.0.1:19092",
                        "controller.quorum.voters=1@127.0.0.1:19093",
                        "log.dirs=/data/kraft",
                        "num.io.threads=2",
                        "listeners=PLAINTEXT://127.0.0.1:19092",
                        "extra.setting=x",
                        "process.roles=broker,controller");
        assertThat(props).doesNotContain("@KAFKA_PORT@", "@CONTROLLER_PORT@", "@DATA_DIR@", "num.io.threads=4");
        assertThat(props.lines().filter(l -> l.startsWith("listeners="))).hasSize(1);
    }
}
