package io.cloudnexus.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback that records every request (headers and raw body) and answers with
 * scripted replies: first the queued ones in order, then the default. For webhook delivery tests.
 *
 * <pre>
 * try (RecordingReceiver r = RecordingReceiver.start()) {
 *     r.script(Reply.status(500), Reply.status(503).withHeader("Retry-After", "1"));
 *     ... subscribe r.url("/hook") ...
 *     r.awaitCount(1, Duration.ofSeconds(10));
 * }
 * </pre>
 */
public final class RecordingReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "recording-receiver");
        t.setDaemon(true);
        return t;
    });
    private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();
    private final Deque<Reply> script = new ConcurrentLinkedDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Reply defaultReply = Reply.ok();

    private RecordingReceiver(HttpServer server) {
        this.server = server;
    }

    /** Starts a receiver on 127.0.0.1 on a free port. */
    public static RecordingReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            RecordingReceiver receiver = new RecordingReceiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(receiver.executor);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the recording receiver", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port><path>} */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + (path.startsWith("/") ? path : "/" + path);
    }

    /** Queues replies for the next requests, in order; after them the default reply applies. */
    public RecordingReceiver script(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** The reply once the script is used up (200 OK unless set). */
    public RecordingReceiver defaultReply(Reply reply) {
        this.defaultReply = reply;
        return this;
    }

    public List<ReceivedRequest> received() {
        return List.copyOf(received);
    }

    public int count() {
        return received.size();
    }

    /** Waits until at least {@code n} requests arrived; returns them, or fails after {@code timeout}. */
    public List<ReceivedRequest> awaitCount(int n, Duration timeout) {
        return await(list -> list.size() >= n, timeout, "at least " + n + " requests");
    }

    public List<ReceivedRequest> await(Predicate<List<ReceivedRequest>> condition, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<ReceivedRequest> snapshot = received();
            if (condition.test(snapshot)) {
                return snapshot;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Receiver " + url("/") + " did not get " + what + " within " + timeout
                        + "; got " + snapshot.size());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public void reset() {
        received.clear();
        script.clear();
        defaultReply = Reply.ok();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
            received.add(new ReceivedRequest(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    Map.copyOf(headers),
                    body,
                    Instant.now()));
            Reply reply = script.poll();
            if (reply == null) {
                reply = defaultReply;
            }
            if (reply.hangs()) {
                closed.await();
                return;
            }
            if (!reply.delay().isZero()) {
                closed.await(reply.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
