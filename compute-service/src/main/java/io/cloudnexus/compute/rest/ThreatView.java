package io.cloudnexus.compute.rest;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.contracts.events.SecurityThreatDetected;
import io.cloudnexus.eventstore.StoredEvent;

/** A recorded security.threat.detected event. */
public record ThreatView(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("server_id") String serverId,
        @JsonProperty("source_ip") String sourceIp,
        @JsonProperty("attack_type") String attackType,
        boolean mitigated,
        @JsonProperty("packets_blocked") long packetsBlocked,
        @JsonProperty("detected_at") String detectedAt) {

    static ThreatView of(StoredEvent e) {
        SecurityThreatDetected threat = e.payload(SecurityThreatDetected.class);
        return new ThreatView(
                e.eventId(),
                e.aggregateId(),
                threat.sourceIp(),
                threat.attackType().name(),
                threat.mitigated(),
                threat.packetsBlocked(),
                ServerView.time(e.occurredAt()));
    }
}
