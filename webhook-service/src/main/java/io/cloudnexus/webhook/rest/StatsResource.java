package io.cloudnexus.webhook.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudnexus.common.identity.CallerIdentity;
import io.cloudnexus.common.identity.IdentityClaims;
import io.cloudnexus.webhook.domain.EndpointStats;
import io.cloudnexus.webhook.service.StatsService;

/** An endpoint's delivery health: attempts, success rate and latency over time, and its backlog. */
@Path("/webhooks/{id}/stats")
@Tag(name = "Deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    private final CallerIdentity caller;
    private final StatsService stats;

    public StatsResource(CallerIdentity caller, StatsService stats) {
        this.caller = caller;
        this.stats = stats;
    }

    @GET
    @Operation(
            summary = "Delivery health of an endpoint",
            description = "Attempts, 2xx deliveries, failures and latency percentiles per bucket over the last hour "
                    + "(window=1h, the default: 60 buckets of 60 s) or day (window=24h: 96 buckets of 15 min), every "
                    + "bucket present, oldest first, aligned to UTC; the window's totals with its success rate; and the "
                    + "endpoint's deliveries pending, retrying and dead now.")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public EndpointStats get(@PathParam("id") String id, @QueryParam("window") String window) {
        return stats.stats(caller.accountId(), id, window == null || window.isBlank() ? null : window.trim());
    }
}
