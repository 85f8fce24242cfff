package io.cloudnexus.webhook.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.cloudnexus.testsupport.IdentityTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Many stream clients in the harness JVM: Vert.x WebSockets to {@code GET /events/stream}, each authenticated as
 * an enterprise account with the {@code read} scope. Every event frame is timed at arrival against the
 * {@code sent_at_nanos} the producer put in the event's data (same JVM, so {@link System#nanoTime} compares);
 * closes by the server are counted with their code and reason.
 */
final class StreamClients implements AutoCloseable {

    static final String SENT_AT = "\"sent_at_nanos\":\"";

    private final int port;
    private final List<WebSocketClient> clients = new ArrayList<>();
    private final AtomicInteger nextClient = new AtomicInteger();
    private final Map<String, String[]> tokens = new ConcurrentHashMap<>();
    private final Set<WebSocket> open = ConcurrentHashMap.newKeySet();
    /** Sockets the harness is closing: their close is not counted as the server's. */
    private final Set<WebSocket> closingByUs = ConcurrentHashMap.newKeySet();

    private final AtomicInteger serverClosed = new AtomicInteger();
    private final List<String> closeReasons = new CopyOnWriteArrayList<>();
    volatile Frames frames = new Frames();

    /**
     * @param localAddresses client sockets are spread over 127.0.0.1..127.0.0.N, so more than one address's
     *     ephemeral ports can be used (about 28,000 each on a default Linux)
     */
    StreamClients(Vertx vertx, int port, int maxConnections, int localAddresses) {
        this.port = port;
        for (int i = 1; i <= Math.max(1, localAddresses); i++) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setMaxConnections(maxConnections + 16)
                    .setConnectTimeout(15_000)
                    .setTcpNoDelay(true)
                    .setLocalAddress("127.0.0." + i)));
        }
    }

    /** What the clients received since the last reset. */
    Frames reset() {
        frames = new Frames();
        return frames;
    }

    /** The outcome of opening a batch of connections. */
    record Opened(int opened, int failed, String firstFailure, double seconds) {}

    /**
     * Opens {@code count} connections, the {@code i}-th for {@code accounts.get((from + i) % accounts.size())}, with
     * at most {@code concurrency} handshakes in flight; returns when every attempt has succeeded or failed.
     */
    Opened open(List<String> accounts, int from, int count, int concurrency) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            String account = accounts.get((from + i) % accounts.size());
            WebSocketConnectOptions options = new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI("/events/stream")
                    // no setTimeout: in Vert.x 4.5 that timer could still fire on an open WebSocket (a close 1000
                    // 30 s after its connect began, seen once per few thousand connections); open() bounds the wait
                    .addHeader("Authorization", "Bearer " + token(account));
            WebSocketClient client = clients.get(Math.floorMod(nextClient.getAndIncrement(), clients.size()));
            client.connect(options).onComplete(ar -> {
                if (ar.succeeded()) {
                    bind(ar.result());
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, describe(ar.cause()));
                }
                inFlight.release();
            });
        }
        if (!inFlight.tryAcquire(concurrency, 2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("handshakes still in flight after 2 minutes");
        }
        return new Opened(ok.get(), failed.get(), firstFailure.get(), (System.nanoTime() - start) / 1e9);
    }

    private void bind(WebSocket socket) {
        long openedAt = System.nanoTime();
        open.add(socket);
        socket.textMessageHandler(text -> {
            long now = System.nanoTime();
            int at = text.indexOf(SENT_AT);
            if (at >= 0) {
                frames.record(now - parseNanos(text, at + SENT_AT.length()), now);
            }
        });
        socket.exceptionHandler(e -> {});
        socket.closeHandler(v -> {
            open.remove(socket);
            if (!closingByUs.remove(socket)) {
                serverClosed.incrementAndGet();
                if (closeReasons.size() < 5) {
                    closeReasons.add(String.format(
                            "%s %s after %.1f s open",
                            socket.closeStatusCode(), socket.closeReason(), (System.nanoTime() - openedAt) / 1e9));
                }
            }
        });
    }

    /** The decimal digits at {@code from} (a {@code sent_at_nanos} value). */
    static long parseNanos(CharSequence text, int from) {
        long v = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Connections open on the client side. */
    int openCount() {
        return open.size();
    }

    /** Connections the server closed (not the harness), and the first few close codes and reasons. */
    int serverClosed() {
        return serverClosed.get();
    }

    List<String> closeReasons() {
        return List.copyOf(closeReasons);
    }

    /** Closes every open connection (a normal close) and waits up to a minute until each close has completed. */
    void closeAll() throws InterruptedException {
        for (WebSocket s : List.copyOf(open)) {
            closingByUs.add(s);
            s.close();
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        closingByUs.clear();
    }

    @Override
    public void close() throws Exception {
        closeAll();
        for (WebSocketClient c : clients) {
            c.close();
        }
    }

    /** A token per account, minted again after 30 s (they live 60 s; only the handshake checks it). */
    private String token(String account) {
        long now = System.nanoTime();
        String[] cached = tokens.get(account);
        if (cached == null || now - Long.parseLong(cached[1]) > TimeUnit.SECONDS.toNanos(30)) {
            cached = new String[] {IdentityTokens.mint(account, "enterprise", Set.of("read")), Long.toString(now)};
            tokens.put(account, cached);
        }
        return cached[0];
    }

    private static String describe(Throwable e) {
        if (e instanceof UpgradeRejectedException r) {
            String body = r.getBody() == null ? "" : r.getBody().toString();
            return "upgrade refused with HTTP " + r.getStatus() + ": "
                    + (body.length() > 300 ? body.substring(0, 300) : body);
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Event frames received: count, first and last arrival, latency samples. */
    static final class Frames {
        final AtomicLong count = new AtomicLong();
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong();
        final BenchReceiver.Latencies latencies = new BenchReceiver.Latencies();

        void record(long latencyNanos, long now) {
            count.incrementAndGet();
            first.accumulateAndGet(now, Math::min);
            last.accumulateAndGet(now, Math::max);
            latencies.add(latencyNanos);
        }

        double perSecond() {
            long span = last.get() - first.get();
            return span <= 0 ? 0 : count.get() * 1e9 / span;
        }
    }
}
