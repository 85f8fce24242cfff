package io.cloudnexus.webhook.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * A fast local webhook receiver on Vert.x: answers 200 at once (paths under {@code /hang} never answer), and
 * records per request the path group, the event-to-receipt latency (publish time kept by the producer) and
 * the receipt time.
 */
final class BenchReceiver implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;
    private final HttpServer hangServer;
    final Map<String, Long> publishedAt = new ConcurrentHashMap<>();
    volatile Recorder recorder = new Recorder();

    BenchReceiver(Vertx vertx) throws Exception {
        this.vertx = vertx;
        this.server = vertx.createHttpServer(
                        new HttpServerOptions().setTcpNoDelay(true).setAcceptBacklog(4096))
                .requestHandler(req -> req.end().onComplete(v -> {
                    long now = System.nanoTime();
                    String id = req.getHeader("webhook-id");
                    Long sent = id == null ? null : publishedAt.get(id);
                    recorder.record(req.path(), sent == null ? -1 : now - sent, now);
                    req.response().setStatusCode(200).end();
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        this.hangServer = vertx.createHttpServer()
                .requestHandler(req -> {
                    // never answers: a hanging endpoint
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    String hangingUrl(String path) {
        return "http://127.0.0.1:" + hangServer.actualPort() + path;
    }

    Recorder reset() {
        recorder = new Recorder();
        return recorder;
    }

    @Override
    public void close() {
        server.close();
        hangServer.close();
    }

    /** What one phase received. */
    static final class Recorder {
        final AtomicLong count = new AtomicLong();
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong();
        final Latencies latencies = new Latencies();
        final Map<String, AtomicLong> byPrefix = new ConcurrentHashMap<>();

        void record(String path, long latencyNanos, long now) {
            count.incrementAndGet();
            first.accumulateAndGet(now, Math::min);
            last.accumulateAndGet(now, Math::max);
            if (latencyNanos >= 0) {
                latencies.add(latencyNanos);
            }
            int slash = path.indexOf('/', 1);
            byPrefix.computeIfAbsent(slash < 0 ? path : path.substring(0, slash), k -> new AtomicLong())
                    .incrementAndGet();
        }

        double perSecond() {
            long span = last.get() - first.get();
            return span <= 0 ? 0 : count.get() * 1e9 / span;
        }
    }

    /** Latency samples (nanoseconds). */
    static final class Latencies {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        synchronized double percentileMillis(double p) {
            if (size == 0) {
                return Double.NaN;
            }
            long[] sorted = java.util.Arrays.copyOf(values, size);
            java.util.Arrays.sort(sorted);
            return sorted[Math.min(size - 1, (int) Math.ceil(p / 100.0 * size) - 1)] / 1e6;
        }
    }

    Vertx vertx() {
        return vertx;
    }
}
