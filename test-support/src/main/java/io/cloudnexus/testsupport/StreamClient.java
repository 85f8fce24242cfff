package io.cloudnexus.testsupport;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real client of the event stream ({@code GET /events/stream}): a JDK {@link WebSocket}, or Server-Sent
 * Events read line by line from a JDK {@link HttpClient} response. It records every frame (the JSON text) as it
 * arrives; {@link #pause()} stops reading (the socket's buffers then fill, as with a client that does not keep
 * up) and {@link #resume()} reads again.
 */
public final class StreamClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A refused upgrade or stream request: the HTTP status and body. */
    public static final class Refused extends RuntimeException {
        private final int status;
        private final String body;
        private final Map<String, List<String>> headers;

        Refused(int status, String body, Map<String, List<String>> headers) {
            super("refused with " + status + ": " + body);
            this.status = status;
            this.body = body;
            this.headers = headers;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }

        public Map<String, List<String>> headers() {
            return headers;
        }
    }

    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<int[]> closed = new CompletableFuture<>();
    private final List<String> closeReason = new CopyOnWriteArrayList<>();
    private final AtomicBoolean paused = new AtomicBoolean();
    private volatile WebSocket socket;
    private volatile InputStream sseBody;
    private volatile Thread sseReader;

    private StreamClient() {}

    /**
     * Opens a WebSocket to {@code uri} (ws:// or http:// is turned into ws://) with the given headers.
     *
     * @throws Refused when the server answers the upgrade with an HTTP error
     */
    public static StreamClient webSocket(URI uri, Map<String, String> headers) {
        StreamClient client = new StreamClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        URI ws = URI.create(uri.toString().replaceFirst("^http", "ws"));
        try {
            client.socket = builder.buildAsync(ws, client.new Listener()).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                HttpResponse<?> r = h.getResponse();
                Object body = r.body();
                throw new Refused(
                        r.statusCode(),
                        body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(body),
                        r.headers().map());
            }
            throw new IllegalStateException("WebSocket to " + ws + " failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("WebSocket to " + ws + " did not open", e);
        }
        return client;
    }

    /**
     * Opens a Server-Sent Events stream ({@code Accept: text/event-stream}); each {@code data:} line becomes a
     * frame, and the {@code id:} lines are checked against the frame's event id.
     *
     * @throws Refused when the server answers with an HTTP error
     */
    public static StreamClient serverSentEvents(URI uri, Map<String, String> headers) {
        StreamClient client = new StreamClient();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .GET();
        headers.forEach(request::header);
        HttpResponse<InputStream> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (Exception e) {
            throw new IllegalStateException("SSE request to " + uri + " failed", e);
        }
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                body = "";
            }
            throw new Refused(response.statusCode(), body, response.headers().map());
        }
        client.sseBody = response.body();
        Thread reader = new Thread(() -> client.readEvents(response.body()), "sse-client");
        reader.setDaemon(true);
        client.sseReader = reader;
        reader.start();
        return client;
    }

    private void readEvents(InputStream body) {
        String id = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    String data = line.substring(6);
                    if (id != null && !id.equals(eventId(data))) {
                        throw new IllegalStateException("SSE id " + id + " does not match the frame " + data);
                    }
                    frames.add(data);
                } else if (line.isEmpty()) {
                    id = null;
                }
            }
            closed.complete(new int[] {-1});
        } catch (Exception e) {
            closed.complete(new int[] {-2});
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            if (!paused.get()) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason.add(reason);
            closed.complete(new int[] {statusCode});
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new int[] {-2});
        }
    }

    /** Every frame received so far (JSON text), in order. */
    public List<String> frames() {
        return new ArrayList<>(frames);
    }

    /** The frames of the given type ({@code event}, {@code delivery}, {@code heartbeat}), parsed. */
    public List<JsonNode> frames(String type) {
        List<JsonNode> out = new ArrayList<>();
        for (String f : frames) {
            JsonNode node = parse(f);
            if (type.equals(node.path("type").asText())) {
                out.add(node);
            }
        }
        return out;
    }

    /** The event ids of the event frames received so far, in order. */
    public List<String> eventIds() {
        return frames("event").stream()
                .map(n -> n.path("event").path("id").asText())
                .toList();
    }

    /** The raw text of each event frame's {@code event} value (the envelope as the server wrote it). */
    public List<String> envelopes() {
        List<String> out = new ArrayList<>();
        for (String f : frames) {
            if (f.startsWith("{\"type\":\"event\",\"event\":") && f.endsWith("}")) {
                out.add(f.substring("{\"type\":\"event\",\"event\":".length(), f.length() - 1));
            }
        }
        return out;
    }

    /** Waits until the frames satisfy the condition. */
    public StreamClient await(Predicate<StreamClient> condition, Duration timeout, String what) {
        Awaitility.await(what)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> condition.test(this));
        return this;
    }

    /** Waits until at least {@code n} event frames arrived. */
    public List<String> awaitEvents(int n, Duration timeout) {
        await(c -> c.eventIds().size() >= n, timeout, n + " event frames");
        return eventIds();
    }

    /** Stops reading (WebSocket only): the server's writes pile up in the socket buffers. */
    public void pause() {
        paused.set(true);
    }

    /** Reads again. */
    public void resume() {
        if (paused.compareAndSet(true, false) && socket != null) {
            socket.request(Long.MAX_VALUE);
        }
    }

    /** The close code once the server closed the stream (-1: an SSE response ended), waiting up to the timeout. */
    public int awaitClosed(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS)[0];
        } catch (Exception e) {
            throw new AssertionError("the stream was not closed within " + timeout, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** The reason of the server's close frame, if any. */
    public String closeReason() {
        return closeReason.isEmpty() ? null : closeReason.get(0);
    }

    @Override
    public void close() {
        WebSocket s = socket;
        if (s != null && !s.isOutputClosed()) {
            try {
                s.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                s.abort();
            }
        }
        if (s != null) {
            s.abort();
        }
        InputStream in = sseBody;
        if (in != null) {
            try {
                in.close();
            } catch (java.io.IOException e) {
                // closing
            }
        }
        Thread t = sseReader;
        if (t != null) {
            t.interrupt();
        }
    }

    private static String eventId(String frame) {
        return parse(frame).path("event").path("id").asText(null);
    }

    private static JsonNode parse(String frame) {
        try {
            return JSON.readTree(frame);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not a JSON frame: " + frame, e);
        }
    }
}
