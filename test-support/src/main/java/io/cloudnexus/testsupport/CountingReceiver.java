package io.cloudnexus.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A lean webhook receiver for volume and fault tests: answers every request 200 (optionally after a delay) and
 * keeps only what counting needs, one {@link Arrival} per request (path, {@code webhook-id} = event id,
 * {@code X-CloudNexus-Delivery}, {@code User-Agent}, arrival time), not the bodies. Lost and duplicated
 * deliveries are computed from these by (path, event id).
 */
public final class CountingReceiver implements AutoCloseable {

    /** One request as it arrived; {@code atMillis} is {@link System#currentTimeMillis()} on arrival. */
    public record Arrival(String path, String eventId, String deliveryId, String userAgent, long atMillis) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile long delayMillis;

    private CountingReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts on 127.0.0.1, a free port, with {@code threads} handler threads (requests answered at once). */
    public static CountingReceiver start(int threads) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
            ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "counting-receiver");
                t.setDaemon(true);
                return t;
            });
            CountingReceiver receiver = new CountingReceiver(server, executor);
            server.createContext("/", receiver::handle);
            server.setExecutor(executor);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the counting receiver", e);
        }
    }

    public static CountingReceiver start() {
        return start(32);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port><path>} */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + (path.startsWith("/") ? path : "/" + path);
    }

    /** Answers every later request only after {@code delay} (requests stay in flight at the sender meanwhile). */
    public CountingReceiver delay(Duration delay) {
        this.delayMillis = delay.toMillis();
        return this;
    }

    public int count() {
        return count.get();
    }

    /** Every arrival so far, in arrival order. */
    public List<Arrival> arrivals() {
        return new ArrayList<>(arrivals);
    }

    /** The event ids received on {@code path}, each once. */
    public Set<String> eventIds(String path) {
        Set<String> ids = new HashSet<>();
        for (Arrival a : arrivals) {
            if (a.path().equals(path)) {
                ids.add(a.eventId());
            }
        }
        return ids;
    }

    /** Requests per {@code User-Agent}. */
    public Map<String, Integer> countByUserAgent() {
        Map<String, Integer> counts = new HashMap<>();
        for (Arrival a : arrivals) {
            counts.merge(String.valueOf(a.userAgent()), 1, Integer::sum);
        }
        return counts;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            var h = exchange.getRequestHeaders();
            arrivals.add(new Arrival(
                    exchange.getRequestURI().getPath(),
                    h.getFirst("webhook-id"),
                    h.getFirst("X-CloudNexus-Delivery"),
                    h.getFirst("User-Agent"),
                    System.currentTimeMillis()));
            count.incrementAndGet();
            long delay = delayMillis;
            if (delay > 0) {
                try {
                    Thread.sleep(delay); // the scripted answer time of this receiver, not a wait for a condition
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
