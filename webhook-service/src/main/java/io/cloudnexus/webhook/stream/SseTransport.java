package io.cloudnexus.webhook.stream;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;

/**
 * A stream as Server-Sent Events: each frame is {@code event: <type>} (+ {@code id: <evt_...>} for events, so the
 * client's {@code Last-Event-ID} resumes) and {@code data: <the same JSON as the WebSocket frame>}; heartbeats are
 * comments.
 */
final class SseTransport implements StreamTransport {

    private final HttpServerResponse response;
    private final Context context;

    SseTransport(HttpServerResponse response, Context context) {
        this.response = response;
        this.context = context;
    }

    @Override
    public Context context() {
        return context;
    }

    @Override
    public void write(Frame frame) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (frame.kind() == Frame.Kind.HEARTBEAT) {
            response.write(": heartbeat\n\n");
            return;
        }
        StringBuilder text = new StringBuilder(frame.json().length() + 48);
        text.append("event: ").append(frame.kind().wire()).append('\n');
        if (frame.eventId() != null) {
            text.append("id: ").append(frame.eventId()).append('\n');
        }
        text.append("data: ").append(frame.json()).append("\n\n");
        response.write(text.toString());
    }

    @Override
    public boolean writeQueueFull() {
        return response.writeQueueFull();
    }

    @Override
    public void drainHandler(Runnable handler) {
        response.drainHandler(v -> handler.run());
    }

    @Override
    public void closeHandler(Runnable handler) {
        response.closeHandler(v -> handler.run());
        response.endHandler(v -> handler.run());
        response.exceptionHandler(e -> {});
    }

    @Override
    public void close(CloseReason reason) {
        if (!response.ended() && !response.closed()) {
            response.end();
        }
    }
}
