package io.cloudnexus.webhook.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.common.rest.Page;
import io.cloudnexus.common.rest.PageRequest;
import io.cloudnexus.contracts.ResourceIds;
import io.cloudnexus.webhook.domain.DeliveryView;
import io.cloudnexus.webhook.domain.EndpointStatus;
import io.cloudnexus.webhook.domain.EndpointView;
import io.cloudnexus.webhook.service.DeliveryService;
import io.cloudnexus.webhook.service.EndpointService;

/** Webhook endpoints (subscriptions) of the caller's account. */
@Path("/webhooks")
@Tag(name = "Webhook endpoints")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EndpointResource {

    private final CallerIdentity caller;
    private final EndpointService endpoints;
    private final DeliveryService deliveries;

    public EndpointResource(CallerIdentity caller, EndpointService endpoints, DeliveryService deliveries) {
        this.caller = caller;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
    }

    @POST
    @Operation(summary = "Create an endpoint; the response carries its signing secret, shown only here")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response create(EndpointRequests.Create body) {
        EndpointRequests.Create request = require(body);
        EndpointView view = endpoints.create(
                caller.accountId(), request.url(), request.description(), request.events(), request.rateLimit());
        return Response.status(201).entity(view).build();
    }

    @GET
    @Operation(summary = "List endpoints (cursor pagination by id)")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public Page<EndpointView> list(
            @QueryParam("limit") String limit, @QueryParam("starting_after") String startingAfter) {
        return endpoints.list(caller.accountId(), PageRequest.of(limit, startingAfter, ResourceIds.WEBHOOK_ENDPOINT));
    }

    @GET
    @Path("{id}")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public EndpointView get(@PathParam("id") String id) {
        return endpoints.get(caller.accountId(), id);
    }

    @PATCH
    @Path("{id}")
    @Operation(summary = "Change url, description, events or rate_limit (a new URL is validated again)")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public EndpointView update(@PathParam("id") String id, EndpointRequests.Update body) {
        EndpointRequests.Update request = require(body);
        return endpoints.update(
                caller.accountId(), id, request.url(), request.description(), request.events(), request.rateLimit());
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response delete(@PathParam("id") String id) {
        endpoints.delete(caller.accountId(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/pause")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public EndpointView pause(@PathParam("id") String id) {
        return endpoints.transition(caller.accountId(), id, EndpointStatus.Transition.PAUSE);
    }

    @POST
    @Path("{id}/resume")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public EndpointView resume(@PathParam("id") String id) {
        return endpoints.transition(caller.accountId(), id, EndpointStatus.Transition.RESUME);
    }

    @POST
    @Path("{id}/enable")
    @Operation(summary = "Re-enable an endpoint that was disabled (410 Gone or a sustained failure)")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public EndpointView enable(@PathParam("id") String id) {
        return endpoints.transition(caller.accountId(), id, EndpointStatus.Transition.ENABLE);
    }

    @POST
    @Path("{id}/disable")
    @Operation(
            summary = "Disable an endpoint: nothing is queued for it until it is enabled (recover gets what it missed)")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public EndpointView disable(@PathParam("id") String id) {
        return endpoints.transition(caller.accountId(), id, EndpointStatus.Transition.DISABLE);
    }

    @POST
    @Path("{id}/secret/rotate")
    @Operation(
            summary = "New signing secret, shown once; the previous one is still signed with during the grace period")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public EndpointView rotate(@PathParam("id") String id) {
        return endpoints.rotate(caller.accountId(), id);
    }

    @POST
    @Path("{id}/test")
    @Operation(summary = "Send the catalog sample (or the given data) through the delivery pipeline as a test delivery")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response test(@PathParam("id") String id, EndpointRequests.Test body) {
        EndpointRequests.Test request = body == null ? new EndpointRequests.Test(null, null) : body;
        if (request.data() != null && !request.data().isObject()) {
            throw ProblemException.invalidField("data", "must be a JSON object", null);
        }
        DeliveryView view = deliveries.test(caller.accountId(), id, request.event(), request.data());
        return Response.accepted(view).build();
    }

    private static <T> T require(T body) {
        if (body == null) {
            throw ProblemException.badRequest("A JSON request body is required.", null);
        }
        return body;
    }
}
