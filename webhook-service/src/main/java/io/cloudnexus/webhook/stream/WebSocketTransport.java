package io.cloudnexus.webhook.stream;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;

/** A stream over a WebSocket: one text message per frame; frames the client sends are ignored. */
final class WebSocketTransport implements StreamTransport {

    private final ServerWebSocket socket;
    private final Context context;

    WebSocketTransport(ServerWebSocket socket, Context context) {
        this.socket = socket;
        this.context = context;
        socket.textMessageHandler(ignored -> {});
        socket.binaryMessageHandler(ignored -> {});
    }

    @Override
    public Context context() {
        return context;
    }

    @Override
    public void write(Frame frame) {
        socket.writeTextMessage(frame.json());
    }

    @Override
    public boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    @Override
    public void drainHandler(Runnable handler) {
        socket.drainHandler(v -> handler.run());
    }

    @Override
    public void closeHandler(Runnable handler) {
        socket.closeHandler(v -> handler.run());
        socket.exceptionHandler(e -> {});
    }

    @Override
    public void close(CloseReason reason) {
        if (!socket.isClosed()) {
            socket.close((short) reason.code(), reason.reason());
        }
    }
}
