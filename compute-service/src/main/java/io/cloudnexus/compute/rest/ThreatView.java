package io.cloudnexus.compute.rest;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.eventstore.StoredEvent;

/** A recorded security.threat.detected event. */
public record ThreatView(@JsonProperty("event_id") String eventId, @JsonProperty("server_id") String serverId,
        @JsonProperty("source_ip") String sourceIp, @JsonProperty("attack_type") String attackType, boolean mitigated,
        @JsonProperty("packets_blocked") long packetsBlocked, @JsonProperty("detected_at") String detectedAt) {

    static ThreatView of(StoredEvent e) {
        return new ThreatView(e.eventId(), e.aggregateId(), e.data().path("source_ip").asText(),
                e.data().path("attack_type").asText(), e.data().path("mitigated").asBoolean(),
                e.data().path("packets_blocked").asLong(), ServerView.time(e.occurredAt()));
    }
}
