package io.cloudnexus.testsupport;

import java.io.IOException;
import java.net.ServerSocket;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A separate in-JVM Kafka broker (KRaft, one combined node) for tests where Kafka must become unreachable and
 * come back: {@link #startBehind(TcpProxy)} makes the broker advertise the proxy's port, so every client
 * connection (bootstrap and after) goes through the proxy, and {@link TcpProxy#cut()} /
 * {@link TcpProxy#restore()} take the broker away and bring it back with its data. Independent of the module's
 * shared {@link KafkaBrokerResource} broker.
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

    /**
     * Starts a broker whose advertised address is the proxy's port and points the proxy at the broker. The
     * proxy is left as it was (listening or cut); clients use {@code localhost:<proxy port>}.
     */
    public static KafkaTestBroker startBehind(TcpProxy proxy) {
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build())
                    .setConfigProp("advertised.listeners", "EXTERNAL://localhost:" + proxy.port())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "3")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .build();
            kit.format();
            kit.startup();
            int brokerPort = kit.brokers()
                    .values()
                    .iterator()
                    .next()
                    .boundPort(org.apache.kafka.common.network.ListenerName.normalised("EXTERNAL"));
            proxy.forwardTo("127.0.0.1", brokerPort);
            kit.waitForReadyBrokers();
            return new KafkaTestBroker(kit, proxy.port());
        } catch (Exception e) {
            throw new IllegalStateException("Could not start a Kafka broker behind port " + proxy.port(), e);
        }
    }

    /** The address clients use: the proxy's port on localhost. */
    public String bootstrapServers() {
        return "localhost:" + port;
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
