package io.cloudnexus.testsupport;

import java.io.IOException;
import java.net.ServerSocket;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A separate in-JVM Kafka broker (KRaft, one combined node) on a FIXED port, for tests where Kafka must be
 * unreachable and then come back: point a client at {@link #bootstrapServers(int)} of a {@link #freePort()}
 * before anything listens there, then {@link #start(int)} a broker on that port (and {@link #close()} it
 * and start another on the same port to simulate an outage). Unlike {@link KafkaBrokerResource}, each
 * instance is independent of the module's shared broker.
 */
public final class KafkaTestBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final int port;

    private KafkaTestBroker(KafkaClusterTestKit cluster, int port) {
        this.cluster = cluster;
        this.port = port;
    }

    /** A TCP port free right now on loopback (nothing listens on it afterwards). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    /** The bootstrap address a broker started on {@code port} will have. */
    public static String bootstrapServers(int port) {
        return "localhost:" + port;
    }

    /** Starts a fresh broker (new, empty log directories) listening for clients on {@code port}. */
    public static KafkaTestBroker start(int port) {
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .setConfigProp("listeners", "EXTERNAL://localhost:" + port + ",CONTROLLER://localhost:0")
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
            return new KafkaTestBroker(kit, port);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start a Kafka broker on port " + port, e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public int port() {
        return port;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the Kafka broker on port " + port, e);
        }
    }
}
