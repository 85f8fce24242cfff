package io.cloudnexus.cluster.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudnexus.cluster.domain.Offerings;
import io.cloudnexus.cluster.repository.ClusterQueries;
import io.cloudnexus.cluster.service.ClusterCommands;
import io.cloudnexus.cluster.service.RetriedCommands;
import io.cloudnexus.common.identity.CallerIdentity;
import io.cloudnexus.common.identity.IdentityClaims;
import io.cloudnexus.common.rest.FieldChecks;
import io.cloudnexus.common.rest.Page;
import io.cloudnexus.common.rest.PageRequest;
import io.cloudnexus.contracts.ResourceIds;

/** Kubernetes clusters of the caller's account (served as /v2/clusters/k8s through the gateway). */
@Path("/clusters/k8s")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Kubernetes")
public class ClusterResource {

    private final CallerIdentity caller;
    private final ClusterCommands commands;
    private final RetriedCommands changes;
    private final ClusterQueries queries;

    public ClusterResource(
            CallerIdentity caller, ClusterCommands commands, RetriedCommands changes, ClusterQueries queries) {
        this.caller = caller;
        this.commands = commands;
        this.changes = changes;
        this.queries = queries;
    }

    @GET
    @Operation(
            summary = "List clusters, newest first",
            description = "Cursor pagination: limit 1-100 (default 20), "
                    + "starting_after=<id of the last cluster of the previous page>.")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public Page<ClusterView> list(@QueryParam("limit") String limit, @QueryParam("starting_after") String after) {
        PageRequest page = PageRequest.of(limit, after, ResourceIds.CLUSTER);
        return Page.of(queries.list(caller.accountId(), page), page.limit(), ClusterView::of);
    }

    @POST
    @Operation(
            summary = "Create a cluster",
            description =
                    "Records cluster.created; then one cluster.node.joined per "
                            + "node (simulated, one node at a time). Valid regions, versions and sizes: GET /clusters/k8s/options.")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = ClusterView.class)))
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response create(ClusterRequests.Create body) {
        ClusterRequests.Create req = FieldChecks.required("body", body);
        String name = FieldChecks.name("name", FieldChecks.required("name", req.name()));
        String region = FieldChecks.oneOf("region", req.region(), Offerings.REGIONS);
        String version = FieldChecks.oneOf("version", req.version(), Offerings.VERSIONS);
        var pools = ClusterChecks.pools(req.nodePools());
        ClusterView cluster = ClusterView.of(commands.create(caller.accountId(), name, region, version, pools));
        return Response.status(201)
                .header("Location", "/clusters/k8s/" + cluster.id())
                .entity(cluster)
                .build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One cluster, with its node pools")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public ClusterView get(@PathParam("id") String id) {
        return ClusterView.of(queries.get(caller.accountId(), id));
    }

    @DELETE
    @Path("{id}")
    @Operation(
            summary = "Delete a cluster",
            description = "Records cluster.deleted (pending deployments fail first "
                    + "with reason cluster_deleted); later changes answer 409.")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public ClusterView delete(@PathParam("id") String id) {
        return ClusterView.of(changes.delete(caller.accountId(), id));
    }

    @PUT
    @Path("{id}/node_pools/{pool}")
    @Operation(
            summary = "Give a node pool more nodes",
            description = "Records cluster.scaled; the new nodes join "
                    + "afterwards (cluster.node.joined each). Pools only grow: a lower count is a 400.")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public ClusterView scalePool(
            @PathParam("id") String id, @PathParam("pool") String pool, ClusterRequests.ScalePool body) {
        int count = ClusterChecks.poolCount(FieldChecks.required("body", body).count());
        return ClusterView.of(changes.scalePool(caller.accountId(), id, pool, count));
    }

    @POST
    @Path("{id}/deployments")
    @Operation(
            summary = "Deploy an image",
            description =
                    "Records deployment.started; deployment.succeeded or "
                            + "deployment.failed follows. It fails with image_pull_failed if the image contains ':broken' or its tag "
                            + "is 'nonexistent', else with insufficient_capacity if replicas exceed the cluster's capacity_pods.")
    @APIResponse(
            responseCode = "202",
            description = "Started",
            content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response deploy(@PathParam("id") String id, ClusterRequests.Deploy body) {
        ClusterRequests.Deploy req = FieldChecks.required("body", body);
        String image = ClusterChecks.image(req.image());
        int replicas = ClusterChecks.replicas(req.replicas());
        DeploymentView d = DeploymentView.of(changes.deploy(caller.accountId(), id, image, replicas));
        return Response.accepted(d)
                .header("Location", "/clusters/k8s/" + id + "/deployments/" + d.id())
                .build();
    }

    @GET
    @Path("{id}/deployments")
    @Operation(summary = "Deployments of a cluster, newest first (cursor pagination)")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public Page<DeploymentView> deployments(
            @PathParam("id") String id, @QueryParam("limit") String limit, @QueryParam("starting_after") String after) {
        PageRequest page = PageRequest.of(limit, after, ResourceIds.DEPLOYMENT);
        return Page.of(queries.deployments(caller.accountId(), id, page), page.limit(), DeploymentView::of);
    }

    @GET
    @Path("{id}/deployments/{deployment}")
    @Operation(summary = "One deployment")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public DeploymentView deployment(@PathParam("id") String id, @PathParam("deployment") String deployment) {
        return DeploymentView.of(queries.deployment(caller.accountId(), id, deployment));
    }
}
