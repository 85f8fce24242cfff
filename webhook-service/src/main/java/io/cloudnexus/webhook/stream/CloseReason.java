package io.cloudnexus.webhook.stream;

/**
 * Why the service ends a stream. WebSocket clients get the code and reason in the close frame; an SSE response
 * simply ends (the client reconnects with {@code Last-Event-ID}). Documented in docs/webhook-service.md.
 */
public enum CloseReason {
    /** The client did not keep up: its buffer is full. Reconnect with {@code since=<last event id received>}. */
    SLOW_CONSUMER(4008, "slow consumer: reconnect with since=<last event id>"),
    /** The replica is shutting down: reconnect (any replica serves every event of the account). */
    GOING_AWAY(1001, "server shutting down: reconnect with since=<last event id>"),
    /** The stream failed on the server side (e.g. the replay could not read the store): reconnect with since. */
    SERVER_ERROR(1011, "stream failed: reconnect with since=<last event id>");

    private final int code;
    private final String reason;

    CloseReason(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
