package io.cloudnexus.webhook.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudnexus.contracts.EventCatalog;

/** The event catalog: every type with its category, description, JSON Schema and sample. */
@Path("/events/types")
@Tag(name = "Event catalog")
@Produces(MediaType.APPLICATION_JSON)
public class EventTypeResource {

    /** One catalog entry. */
    public record EventType(String type, String category, String description, JsonNode schema, JsonNode sample) {}

    /** {@code {"data": [...]}} */
    public record Catalog(List<EventType> data) {}

    @GET
    @Operation(summary = "The event catalog")
    public Catalog list() {
        return new Catalog(EventCatalog.load().all().stream()
                .map(d -> new EventType(d.type(), d.category(), d.description(), d.schema(), d.sample()))
                .toList());
    }
}
