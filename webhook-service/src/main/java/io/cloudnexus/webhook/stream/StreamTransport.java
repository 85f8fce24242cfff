package io.cloudnexus.webhook.stream;

import io.vertx.core.Context;

/** How frames reach one client: a WebSocket or a Server-Sent Events response. Called on {@link #context()} only. */
public interface StreamTransport {

    /** The event loop the connection lives on. */
    Context context();

    void write(Frame frame);

    /** True while the socket's own write queue is above its high-water mark. */
    boolean writeQueueFull();

    /** Called once when the socket can take more after {@link #writeQueueFull()}. */
    void drainHandler(Runnable handler);

    /** Called once when the connection is gone, whoever closed it. */
    void closeHandler(Runnable handler);

    void close(CloseReason reason);
}
