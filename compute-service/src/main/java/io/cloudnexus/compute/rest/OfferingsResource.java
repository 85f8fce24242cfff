package io.cloudnexus.compute.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudnexus.common.rest.Page;
import io.cloudnexus.compute.domain.Offerings;

/** The valid values of POST /servers: regions, plans and images (one page each, has_more always false). */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Servers")
public class OfferingsResource {

    @GET
    @Path("regions")
    @Operation(summary = "Regions a server can be created in")
    public Page<Offerings.Region> regions() {
        return new Page<>(Offerings.REGIONS, false);
    }

    @GET
    @Path("plans")
    @Operation(summary = "Server plans (sizes and prices)")
    public Page<Offerings.Plan> plans() {
        return new Page<>(Offerings.PLANS, false);
    }

    @GET
    @Path("images")
    @Operation(summary = "Operating-system images")
    public Page<Offerings.Image> images() {
        return new Page<>(Offerings.IMAGES, false);
    }
}
