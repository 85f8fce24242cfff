package io.cloudnexus.webhook.rest;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudnexus.common.identity.CallerIdentity;
import io.cloudnexus.common.identity.IdentityClaims;
import io.cloudnexus.common.rest.Page;
import io.cloudnexus.common.rest.PageRequest;
import io.cloudnexus.webhook.domain.DeliveryId;
import io.cloudnexus.webhook.domain.DeliveryView;
import io.cloudnexus.webhook.service.DeliveryService;

/** An endpoint's dead-letter queue: list, replay one, replay a time window, purge. */
@Path("/webhooks/{id}/dead-letters")
@Tag(name = "Dead letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private final CallerIdentity caller;
    private final DeliveryService deliveries;

    public DeadLetterResource(CallerIdentity caller, DeliveryService deliveries) {
        this.caller = caller;
        this.deliveries = deliveries;
    }

    @GET
    @Operation(summary = "Dead letters, newest first; from/to filter on the time they were dead-lettered")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public Page<DeliveryView> list(
            @PathParam("id") String id,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") String limit,
            @QueryParam("starting_after") String startingAfter) {
        return deliveries.deadLetters(
                caller.accountId(),
                id,
                QueryParams.instant(from, "from"),
                QueryParams.instant(to, "to"),
                PageRequest.of(limit, startingAfter, DeliveryId.PREFIX));
    }

    @POST
    @Path("{deliveryId}/replay")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response replay(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return Response.accepted(deliveries.replay(caller.accountId(), id, deliveryId))
                .build();
    }

    @POST
    @Path("replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replay every dead letter dead-lettered in [from, to) (both optional)")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response replayAll(@PathParam("id") String id, EndpointRequests.Window window) {
        EndpointRequests.Window w = window == null ? new EndpointRequests.Window(null, null) : window;
        int replayed = deliveries.replayAll(caller.accountId(), id, w.from(), w.to());
        return Response.accepted(Map.of("replayed", replayed)).build();
    }

    @DELETE
    @Operation(summary = "Purge dead letters dead-lettered in [from, to) (both optional)")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Map<String, Integer> purge(
            @PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
        return Map.of(
                "purged",
                deliveries.purge(
                        caller.accountId(), id, QueryParams.instant(from, "from"), QueryParams.instant(to, "to")));
    }

    @DELETE
    @Path("{deliveryId}")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response purgeOne(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        deliveries.purgeOne(caller.accountId(), id, deliveryId);
        return Response.noContent().build();
    }
}
