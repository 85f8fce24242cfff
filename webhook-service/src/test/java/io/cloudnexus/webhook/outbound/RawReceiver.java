package io.cloudnexus.webhook.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiver written on a bare {@link ServerSocket} (no HTTP library), so a test can answer with bytes no
 * well-behaved server would send: a NUL in the status line, invalid UTF-8 in headers, a 1 GB body, a
 * body dripped byte by byte, headers that never end, silence after the TCP handshake.
 */
public final class RawReceiver implements AutoCloseable {

    /** What to do with one accepted connection (runs on its own thread; the socket is closed afterwards). */
    @FunctionalInterface
    public interface Handler {
        void handle(Socket socket, InputStream in, OutputStream out) throws Exception;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private RawReceiver(ServerSocket server, Handler handler) {
        this.server = server;
        this.handler = handler;
        Thread acceptor = new Thread(this::accept, "raw-receiver-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static RawReceiver start(Handler handler) {
        return start("127.0.0.1", handler);
    }

    public static RawReceiver start(String bindAddress, Handler handler) {
        return start(bindAddress, 0, handler);
    }

    /** On {@code bindAddress}:{@code port} (0: a free port). */
    public static RawReceiver start(String bindAddress, int port, Handler handler) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 50);
            return new RawReceiver(server, handler);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the raw receiver", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code <scheme>://<host>:<port><path>}, e.g. {@code url("http", "127.0.0.1", "/hook")}. */
    public String url(String scheme, String host, String path) {
        return scheme + "://" + host + ":" + port() + path;
    }

    public String url(String path) {
        return url("http", "127.0.0.1", path);
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                open.add(socket);
                Thread t = new Thread(
                        () -> {
                            try (socket) {
                                handler.handle(socket, socket.getInputStream(), socket.getOutputStream());
                            } catch (Exception ignored) {
                                // the client went away: expected with hostile replies
                            } finally {
                                open.remove(socket);
                            }
                        },
                        "raw-receiver-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Reads one request (head, then Content-Length bytes of body) and returns the head. */
    public static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(
                        line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
        return text;
    }

    public static void write(OutputStream out, String latin1) throws IOException {
        out.write(latin1.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
