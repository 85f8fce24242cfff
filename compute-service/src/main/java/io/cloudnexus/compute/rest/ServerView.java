package io.cloudnexus.compute.rest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.compute.repository.ServerEntity;

/** A server as the API shows it (snake_case; timestamps UTC, second precision). */
public record ServerView(
        String id,
        String name,
        String region,
        String plan,
        String image,
        String status,
        String ip,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        int version) {

    public static ServerView of(ServerEntity s) {
        return new ServerView(
                s.id,
                s.name,
                s.region,
                s.plan,
                s.image,
                s.status,
                s.ip,
                time(s.createdAt),
                time(s.updatedAt),
                s.version);
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
