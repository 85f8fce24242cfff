package io.cloudnexus.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a fixed loopback port that a test can {@link #cut()} (stop listening and drop every
 * open connection: the target looks unreachable) and {@link #restore()} (listen on the same port again).
 *
 * <p>For Kafka, a proxy in front of the bootstrap address alone does not cut the traffic: clients connect to
 * the address the broker ADVERTISES. {@link KafkaTestBroker#startBehind(TcpProxy)} therefore makes the broker
 * advertise the proxy's port, so all client traffic flows through it.
 */
public final class TcpProxy implements AutoCloseable {

    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile InetSocketAddress target;
    private volatile ServerSocket server;

    private TcpProxy(int port) {
        this.port = port;
    }

    /** A proxy on a free loopback port, not listening yet; set {@link #forwardTo} and {@link #restore()}. */
    public static TcpProxy onFreePort() {
        return new TcpProxy(KafkaTestBroker.freePort());
    }

    public int port() {
        return port;
    }

    public TcpProxy forwardTo(String host, int targetPort) {
        this.target = new InetSocketAddress(host, targetPort);
        return this;
    }

    /** Starts (again) to accept connections on {@link #port()} and forward them. */
    public synchronized TcpProxy restore() {
        if (server != null) {
            return this;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            server = s;
            Thread acceptor = new Thread(() -> accept(s), "tcp-proxy-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot listen on port " + port, e);
        }
    }

    /** Stops listening and closes every forwarded connection: the target is unreachable until {@link #restore()}. */
    public synchronized void cut() {
        ServerSocket s = server;
        server = null;
        closeQuietly(s);
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    public boolean isListening() {
        return server != null;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                InetSocketAddress to = target;
                if (to == null || server != s) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(to, 2000);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed by cut(), or the target refused: the client sees a dropped connection
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // either side closed
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        open.remove(from);
                        open.remove(to);
                    }
                },
                "tcp-proxy-pump-" + port);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        cut();
    }
}
