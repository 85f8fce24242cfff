package io.cloudnexus.cluster.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.cluster.domain.Offerings;

/** The valid values of POST /clusters/k8s: regions, Kubernetes versions and node sizes. */
@Path("/clusters/k8s/options")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Kubernetes")
public class OptionsResource {

    /** What a cluster can be created with. */
    public record Options(
            List<String> regions,
            List<String> versions,
            List<Offerings.NodeSize> sizes,
            @JsonProperty("max_nodes_per_pool") int maxNodesPerPool) {}

    @GET
    @Operation(summary = "Regions, Kubernetes versions and node sizes a cluster can be created with")
    public Options options() {
        return new Options(Offerings.REGIONS, Offerings.VERSIONS, Offerings.SIZES, Offerings.MAX_NODES_PER_POOL);
    }
}
