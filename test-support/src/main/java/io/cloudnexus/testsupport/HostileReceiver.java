package io.cloudnexus.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A receiver that misbehaves on purpose, on raw sockets (so it can break HTTP in ways no HTTP server
 * library would): one thread per connection, at most {@code maxConnections} at once (further connections are
 * closed at once). The mode is chosen per port ({@link #start(Mode)}) and, for the plain-text modes, may be
 * overridden per request by a path {@code /<mode>} (e.g. {@code /redirect_loop}).
 *
 * <pre>
 * try (HostileReceiver r = HostileReceiver.start(HostileReceiver.Mode.DRIP_BODY)) {
 *     ... subscribe r.url("/hook") ...
 * }
 * </pre>
 */
public final class HostileReceiver implements AutoCloseable {

    /** How the receiver answers. */
    public enum Mode {
        /**
         * NUL bytes and invalid UTF-8, in turn: in the status line of a 200, in the status line of a 502, in a header
         * and the body of a clean 502, in a header and the body of a clean 200.
         */
        NUL_AND_INVALID_UTF8,
        /** A 200 announcing {@link #hugeBodyBytes} bytes (1 GiB by default), generated and streamed until the client hangs up. */
        HUGE_BODY,
        /** A 200 whose body (1,000 bytes announced) comes one byte a second. */
        DRIP_BODY,
        /** A status line, then header lines forever (a small one every 10 ms, never the blank line). */
        ENDLESS_HEADERS,
        /** Accepts TCP, reads the TLS ClientHello and never answers (for an {@code https://} URL). */
        TLS_STALL,
        /** {@code 302 Found} to the same URL, forever. */
        REDIRECT_LOOP,
        /** A 200, {@link #slowReplyMillis} (4,900 ms by default) after the request arrived. */
        SLOW_2XX
    }

    private final ServerSocket server;
    private final Mode mode;
    private final Semaphore slots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong bytesSent = new AtomicLong();
    private final Map<Mode, AtomicInteger> byMode = new ConcurrentHashMap<>();
    private volatile long hugeBodyBytes = 1L << 30;
    private volatile long slowReplyMillis = 4_900;

    private HostileReceiver(ServerSocket server, Mode mode, int maxConnections) {
        this.server = server;
        this.mode = mode;
        this.slots = new Semaphore(maxConnections);
    }

    /** Listens on 127.0.0.1, a free port, at most 64 connections at once. */
    public static HostileReceiver start(Mode mode) {
        return start(mode, 64);
    }

    public static HostileReceiver start(Mode mode, int maxConnections) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            HostileReceiver receiver = new HostileReceiver(s, mode, maxConnections);
            Thread acceptor = new Thread(receiver::accept, "hostile-receiver-" + s.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the hostile receiver", e);
        }
    }

    /** Bytes announced and streamed by {@link Mode#HUGE_BODY}. */
    public HostileReceiver hugeBodyBytes(long bytes) {
        this.hugeBodyBytes = bytes;
        return this;
    }

    /** How long {@link Mode#SLOW_2XX} waits before its 200. */
    public HostileReceiver slowReplyMillis(long millis) {
        this.slowReplyMillis = millis;
        return this;
    }

    public Mode mode() {
        return mode;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port><path>}, or {@code https://} for {@link Mode#TLS_STALL}. */
    public String url(String path) {
        return (mode == Mode.TLS_STALL ? "https" : "http") + "://127.0.0.1:" + port()
                + (path.startsWith("/") ? path : "/" + path);
    }

    /** Connections accepted (and served) so far. */
    public int connections() {
        return connections.get();
    }

    /** Requests whose head was read (for {@link Mode#TLS_STALL}: ClientHellos received). */
    public int requests() {
        return requests.get();
    }

    /** Connections closed at once because {@code maxConnections} were open. */
    public int refused() {
        return refused.get();
    }

    /** Response bytes written (for {@link Mode#HUGE_BODY}: how much of the body the client read before hanging up). */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Requests served in mode {@code m} (the port's mode or a path override). */
    public int requests(Mode m) {
        AtomicInteger n = byMode.get(m);
        return n == null ? 0 : n.get();
    }

    /** Connections currently open. */
    public int openConnections() {
        return open.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (!slots.tryAcquire()) {
                refused.incrementAndGet();
                closeQuietly(socket);
                continue;
            }
            connections.incrementAndGet();
            open.add(socket);
            Thread t = new Thread(
                    () -> {
                        try {
                            serve(socket);
                        } catch (IOException | RuntimeException e) {
                            // the client hung up (what a well-behaved sender does with us)
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            open.remove(socket);
                            closeQuietly(socket);
                            slots.release();
                        }
                    },
                    "hostile-" + mode.name().toLowerCase(Locale.ROOT));
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket socket) throws IOException, InterruptedException {
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        if (mode == Mode.TLS_STALL) {
            byte[] hello = new byte[4096];
            if (in.read(hello) > 0) {
                requests.incrementAndGet();
            }
            closed.await(); // never answer the ClientHello; the client must give up on its own
            return;
        }
        String path = readRequest(in);
        if (path == null) {
            return;
        }
        int n = requests.incrementAndGet();
        Mode m = modeFor(path);
        byMode.computeIfAbsent(m, k -> new AtomicInteger()).incrementAndGet();
        switch (m) {
            case NUL_AND_INVALID_UTF8 -> nul(out, n % 4);
            case HUGE_BODY -> huge(out);
            case DRIP_BODY -> drip(out);
            case ENDLESS_HEADERS -> endlessHeaders(out);
            case REDIRECT_LOOP ->
                write(
                        out,
                        ("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:" + port() + path
                                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
            case SLOW_2XX -> {
                if (closed.await(slowReplyMillis, TimeUnit.MILLISECONDS)) {
                    return;
                }
                write(
                        out,
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                                .getBytes(StandardCharsets.US_ASCII));
            }
            case TLS_STALL -> throw new IllegalStateException("unreachable");
        }
        out.flush();
        socket.shutdownOutput();
        // let the client read what was sent before the socket closes (bounded)
        socket.setSoTimeout(2000);
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // timed out or reset
        }
    }

    private Mode modeFor(String path) {
        String first = path.length() > 1 ? path.substring(1).split("[/?]", 2)[0] : "";
        for (Mode m : Mode.values()) {
            if (m != Mode.TLS_STALL && m.name().equalsIgnoreCase(first)) {
                return m;
            }
        }
        return mode;
    }

    private void nul(OutputStream out, int variant) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] junk = {0, (byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, 0, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
        boolean ok = variant == 0 || variant == 3;
        b.writeBytes((ok ? "HTTP/1.1 200 O" : "HTTP/1.1 502 Bad").getBytes(StandardCharsets.US_ASCII));
        if (variant < 2) {
            b.writeBytes(junk); // in the status line
        } else {
            b.writeBytes((ok ? "K" : " Gateway").getBytes(StandardCharsets.US_ASCII));
        }
        b.writeBytes("\r\nX-Junk: a".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(junk);
        b.writeBytes("b\r\nContent-Type: text/plain; charset=utf-8\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] body = new byte[64];
        for (int i = 0; i < body.length; i++) {
            body[i] = junk[i % junk.length];
        }
        b.writeBytes(("Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(body);
        write(out, b.toByteArray());
    }

    private void huge(OutputStream out) throws IOException {
        long total = hugeBodyBytes;
        write(
                out,
                ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + total
                                + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        long left = total;
        while (left > 0 && closed.getCount() > 0) {
            int n = (int) Math.min(chunk.length, left);
            out.write(chunk, 0, n);
            bytesSent.addAndGet(n);
            left -= n;
        }
    }

    private void drip(OutputStream out) throws IOException, InterruptedException {
        write(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 1000; i++) {
            if (closed.await(1, TimeUnit.SECONDS)) {
                return;
            }
            write(out, new byte[] {'.'});
        }
    }

    private void endlessHeaders(OutputStream out) throws IOException, InterruptedException {
        write(out, "HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
        for (long i = 0; ; i++) {
            if (closed.await(10, TimeUnit.MILLISECONDS)) {
                return;
            }
            write(out, ("X-Never-Ending-" + i + ": " + "y".repeat(64) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void write(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        bytesSent.addAndGet(bytes.length);
    }

    /** Reads the request head and a body of the announced length (capped at 1 MiB); returns the path, or null. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            head.write(c);
            if (head.size() > 65_536) {
                return null;
            }
            state = switch (state) {
                case 0, 2 -> c == '\r' ? state + 1 : 0;
                case 1, 3 -> c == '\n' ? state + 1 : (c == '\r' ? 1 : 0);
                default -> 0;
            };
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        long length = 0;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        long toRead = Math.min(length, 1 << 20);
        byte[] buffer = new byte[8192];
        while (toRead > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, toRead));
            if (n < 0) {
                break;
            }
            toRead -= n;
        }
        return requestLine.length > 1 ? requestLine[1] : "/";
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed.countDown();
        closeQuietly(server);
        open.forEach(HostileReceiver::closeQuietly);
    }
}
