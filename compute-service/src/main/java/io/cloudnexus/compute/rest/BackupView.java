package io.cloudnexus.compute.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.compute.repository.BackupEntity;
import io.cloudnexus.compute.repository.BackupRequestEntity;

/** A backup: pending while the simulated backup runs, then completed with its size and duration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupView(
        String id,
        @JsonProperty("server_id") String serverId,
        String status,
        @JsonProperty("size_gb") Integer sizeGb,
        @JsonProperty("duration_seconds") Integer durationSeconds,
        @JsonProperty("requested_at") String requestedAt,
        @JsonProperty("completed_at") String completedAt) {

    static BackupView pending(BackupRequestEntity r) {
        return new BackupView(r.id, r.serverId, "pending", null, null, ServerView.time(r.requestedAt), null);
    }

    static BackupView completed(BackupEntity b) {
        return new BackupView(
                b.id, b.serverId, "completed", b.sizeGb, b.durationSeconds, null, ServerView.time(b.completedAt));
    }
}
