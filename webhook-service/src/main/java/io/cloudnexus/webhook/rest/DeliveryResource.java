package io.cloudnexus.webhook.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
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
import io.cloudnexus.webhook.domain.AttemptView;
import io.cloudnexus.webhook.domain.DeliveryId;
import io.cloudnexus.webhook.domain.DeliveryView;
import io.cloudnexus.webhook.service.DeliveryService;

/**
 * Delivery history: per endpoint ({@code /webhooks/{id}/deliveries}) and account-wide
 * ({@code /webhooks/deliveries}), newest first, filterable by event type, status and creation time.
 */
@Path("/webhooks")
@Tag(name = "Deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    private final CallerIdentity caller;
    private final DeliveryService deliveries;

    public DeliveryResource(CallerIdentity caller, DeliveryService deliveries) {
        this.caller = caller;
        this.deliveries = deliveries;
    }

    @GET
    @Path("deliveries")
    @Operation(summary = "Recent deliveries of the whole account")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public Page<DeliveryView> accountDeliveries(
            @QueryParam("event") String event,
            @QueryParam("status") String status,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") String limit,
            @QueryParam("starting_after") String startingAfter) {
        return list(null, event, status, from, to, limit, startingAfter);
    }

    @GET
    @Path("deliveries/{deliveryId}")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public DeliveryView accountDelivery(@PathParam("deliveryId") String deliveryId) {
        return deliveries.get(caller.accountId(), null, deliveryId);
    }

    @GET
    @Path("deliveries/{deliveryId}/attempts")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public List<AttemptView> accountAttempts(@PathParam("deliveryId") String deliveryId) {
        return deliveries.attempts(caller.accountId(), null, deliveryId);
    }

    @POST
    @Path("deliveries/{deliveryId}/redeliver")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response accountRedeliver(@PathParam("deliveryId") String deliveryId) {
        return Response.accepted(deliveries.redeliver(caller.accountId(), null, deliveryId))
                .build();
    }

    @GET
    @Path("{id}/deliveries")
    @Operation(summary = "Deliveries of one endpoint")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public Page<DeliveryView> endpointDeliveries(
            @PathParam("id") String id,
            @QueryParam("event") String event,
            @QueryParam("status") String status,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") String limit,
            @QueryParam("starting_after") String startingAfter) {
        return list(id, event, status, from, to, limit, startingAfter);
    }

    @GET
    @Path("{id}/deliveries/{deliveryId}")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public DeliveryView endpointDelivery(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return deliveries.get(caller.accountId(), id, deliveryId);
    }

    @GET
    @Path("{id}/deliveries/{deliveryId}/attempts")
    @Operation(summary = "Every attempt of a delivery: time, status code, latency, error class, response excerpt")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public List<AttemptView> endpointAttempts(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return deliveries.attempts(caller.accountId(), id, deliveryId);
    }

    @POST
    @Path("{id}/deliveries/{deliveryId}/redeliver")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response endpointRedeliver(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return Response.accepted(deliveries.redeliver(caller.accountId(), id, deliveryId))
                .build();
    }

    private Page<DeliveryView> list(
            String endpointId,
            String event,
            String status,
            String from,
            String to,
            String limit,
            String startingAfter) {
        return deliveries.list(
                caller.accountId(),
                endpointId,
                blankToNull(event),
                blankToNull(status),
                QueryParams.instant(from, "from"),
                QueryParams.instant(to, "to"),
                PageRequest.of(limit, startingAfter, DeliveryId.PREFIX));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
