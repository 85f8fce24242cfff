package io.cloudnexus.compute.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * Answer of POST /servers: the first created server's fields at the top level (so {@code server.id} works as
 * in the public SDK example) plus {@code servers}, every server created (count of them).
 */
@JsonPropertyOrder({ "id", "name", "region", "plan", "image", "status", "ip", "created_at", "updated_at", "version",
        "servers" })
public record CreateServersResponse(@JsonUnwrapped ServerView first, List<ServerView> servers) {
}
