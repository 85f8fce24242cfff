package io.cloudnexus.testsupport;

import java.util.Map;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Apache Kafka broker (KRaft, combined broker + controller, one node) inside the test JVM.
 * Use it through {@link ServiceTest} (a {@code GLOBAL} test resource), so one broker serves a module's whole test run. Sets {@code kafka.bootstrap.servers}.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaClusterTestKit cluster;

    @Override
    public synchronized Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", startBroker());
    }

    /** Starts the broker once per JVM (also usable outside Quarkus tests) and returns its bootstrap servers. */
    public static synchronized String startBroker() {
        if (cluster == null) {
            try {
                KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                                .setCombined(true)
                                .setNumBrokerNodes(1)
                                .setNumControllerNodes(1)
                                .build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("num.partitions", "3")
                        .setConfigProp("auto.create.topics.enable", "true")
                        .build();
                kit.format();
                kit.startup();
                kit.waitForReadyBrokers();
                cluster = kit;
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the in-process Kafka broker", e);
            }
        }
        return cluster.bootstrapServers();
    }

    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            throw new IllegalStateException("The Kafka broker is not started");
        }
        return cluster.bootstrapServers();
    }

    @Override
    public synchronized void stop() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                // the JVM is ending; nothing else to release
            } finally {
                cluster = null;
            }
        }
    }
}
