package io.cloudnexus.webhook.rest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudnexus.common.identity.CallerIdentity;
import io.cloudnexus.common.identity.IdentityClaims;
import io.cloudnexus.common.rest.Page;
import io.cloudnexus.common.rest.PageRequest;
import io.cloudnexus.contracts.EventIds;
import io.cloudnexus.webhook.domain.EventDetail;
import io.cloudnexus.webhook.domain.StoredEvent;
import io.cloudnexus.webhook.service.EventService;

/**
 * The Events API: the account's events as the public envelope, byte for byte what a webhook receiver gets (the
 * stored envelope bytes are written as they are). {@code /events/types} (the catalog) and {@code /events/stream}
 * are other classes: the id path parameter only matches {@code evt_...}.
 */
@Path("/events")
@Tag(name = "Events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    private final CallerIdentity caller;
    private final EventService events;
    private final ObjectMapper json;

    public EventResource(CallerIdentity caller, EventService events, ObjectMapper json) {
        this.caller = caller;
        this.events = events;
        this.json = json;
    }

    @GET
    @Operation(
            summary = "The account's events, newest first in store order: {data: [envelope...], has_more}; type = "
                    + "comma-separated types or prefix.* wildcards, resource = an aggregate id, from/to on the "
                    + "event's timestamp; events older than the retention period are not listed")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public Response list(
            @QueryParam("type") String type,
            @QueryParam("resource") String resource,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") String limit,
            @QueryParam("starting_after") String startingAfter) {
        Page<StoredEvent> page = events.list(
                caller.accountId(),
                type,
                resource,
                QueryParams.instant(from, "from"),
                QueryParams.instant(to, "to"),
                PageRequest.of(limit, startingAfter, EventIds.PREFIX));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"data\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < page.data().size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(page.data().get(i).body());
        }
        out.writeBytes(("],\"has_more\":" + page.hasMore() + "}").getBytes(StandardCharsets.UTF_8));
        return Response.ok(out.toByteArray(), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("{eventId: evt_[0-9a-z]+}")
    @Operation(
            summary = "One event: the envelope's fields (event, id, timestamp, data) and deliveries, one per endpoint "
                    + "(endpoint_id, delivery_id, status, attempts, last_status_code, last_attempt_at)")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public Response get(@PathParam("eventId") String eventId) {
        EventDetail detail = events.get(caller.accountId(), eventId);
        byte[] body = detail.event().body();
        byte[] deliveries;
        try {
            deliveries = json.writeValueAsBytes(detail.deliveries());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("deliveries not serialisable", e);
        }
        // the envelope as stored, with "deliveries" added as its last member: its own bytes stay as they are
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + deliveries.length + 16);
        out.write(body, 0, body.length - 1);
        out.writeBytes(",\"deliveries\":".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(deliveries);
        out.write('}');
        return Response.ok(out.toByteArray(), MediaType.APPLICATION_JSON).build();
    }
}
