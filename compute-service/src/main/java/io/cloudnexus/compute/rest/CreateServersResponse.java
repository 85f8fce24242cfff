package io.cloudnexus.compute.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Answer of POST /servers: the first created server's fields at the top level (so {@code server.id} works as
 * in the public SDK example) plus {@code servers}, every server created ({@code count} of them).
 */
public record CreateServersResponse(
        String id,
        String name,
        String region,
        String plan,
        String image,
        String status,
        String ip,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        int version,
        List<ServerView> servers) {

    static CreateServersResponse of(List<ServerView> servers) {
        ServerView first = servers.get(0);
        return new CreateServersResponse(
                first.id(),
                first.name(),
                first.region(),
                first.plan(),
                first.image(),
                first.status(),
                first.ip(),
                first.createdAt(),
                first.updatedAt(),
                first.version(),
                servers);
    }
}
