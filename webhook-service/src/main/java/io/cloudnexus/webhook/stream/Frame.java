package io.cloudnexus.webhook.stream;

/**
 * One frame queued for a stream: its JSON text, and for an event frame the event id (a Server-Sent Events
 * client resumes from the last {@code id:} it got).
 */
public record Frame(Kind kind, String json, String eventId) {

    /** What a frame says; its {@code type} property and the SSE {@code event:} name. */
    public enum Kind {
        EVENT("event"),
        DELIVERY("delivery"),
        HEARTBEAT("heartbeat");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public static Frame event(LiveEvent event) {
        return new Frame(Kind.EVENT, event.frame(), event.id());
    }

    public static Frame delivery(String json) {
        return new Frame(Kind.DELIVERY, json, null);
    }

    public static Frame heartbeat(java.time.Instant now) {
        return new Frame(
                Kind.HEARTBEAT,
                "{\"type\":\"heartbeat\",\"timestamp\":\"" + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        + "\"}",
                null);
    }
}
