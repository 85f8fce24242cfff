package io.cloudnexus.webhook.rest;

import java.time.Instant;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudnexus.common.identity.CallerIdentity;
import io.cloudnexus.common.identity.IdentityClaims;
import io.cloudnexus.webhook.service.RecoveryService;

/** Recovery of what an endpoint missed: its account's stored events of a time window, queued for it again. */
@Path("/webhooks/{id}/recover")
@Tag(name = "Webhook endpoints")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RecoveryResource {

    /** {@code {"since": ISO-8601, "until"?: ISO-8601}}: the window on the events' timestamps, until = now if absent. */
    public record Window(Instant since, Instant until) {}

    private final CallerIdentity caller;
    private final RecoveryService recovery;

    public RecoveryResource(CallerIdentity caller, RecoveryService recovery) {
        this.caller = caller;
        this.recovery = recovery;
    }

    @POST
    @Operation(
            summary = "Queue again every event of [since, until) that matches the endpoint's current subscription "
                    + "and was not delivered to it (dead letters revived); 202 {recovered: n}")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response recover(@PathParam("id") String id, Window body) {
        Window window = body == null ? new Window(null, null) : body; // no body: since is missing (400)
        int recovered = recovery.recover(caller.accountId(), id, window.since(), window.until());
        return Response.accepted(Map.of("recovered", recovered)).build();
    }
}
