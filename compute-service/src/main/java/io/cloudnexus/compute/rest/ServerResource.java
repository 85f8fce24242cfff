package io.cloudnexus.compute.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

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

import io.cloudnexus.common.identity.CallerIdentity;
import io.cloudnexus.common.identity.IdentityClaims;
import io.cloudnexus.common.rest.FieldChecks;
import io.cloudnexus.common.rest.Page;
import io.cloudnexus.common.rest.PageRequest;
import io.cloudnexus.compute.domain.Offerings;
import io.cloudnexus.compute.domain.ServerStatus;
import io.cloudnexus.compute.domain.Threat;
import io.cloudnexus.compute.repository.ServerEntity;
import io.cloudnexus.compute.repository.ServerQueries;
import io.cloudnexus.compute.service.ServerCommands;
import io.cloudnexus.contracts.ResourceIds;

/** Servers of the caller's account (served as /v2/servers through the gateway). */
@Path("/servers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Servers")
public class ServerResource {

    private final CallerIdentity caller;
    private final ServerCommands commands;
    private final ServerQueries queries;

    public ServerResource(CallerIdentity caller, ServerCommands commands, ServerQueries queries) {
        this.caller = caller;
        this.commands = commands;
        this.queries = queries;
    }

    @GET
    @Operation(
            summary = "List servers, newest first",
            description = "Cursor pagination: limit 1-100 (default 20), "
                    + "starting_after=<id of the last server of the previous page>; filters status and region.")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public Page<ServerView> list(
            @QueryParam("limit") String limit,
            @QueryParam("starting_after") String startingAfter,
            @QueryParam("status") String status,
            @QueryParam("region") String region) {
        PageRequest page = PageRequest.of(limit, startingAfter, ResourceIds.SERVER);
        FieldChecks.optionalOneOf("status", status, ServerStatus.apiValues());
        FieldChecks.optionalOneOf("region", region, Offerings.regionIds());
        return Page.of(queries.list(caller.accountId(), page, status, region), page.limit(), ServerView::of);
    }

    @POST
    @Operation(
            summary = "Create 1-10 servers",
            description = "Each records server.created and starts provisioning; "
                    + "server.provisioned follows with the IP. The answer is the first server's fields at the top level "
                    + "plus 'servers', the list of all created servers.")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = CreateServersResponse.class)))
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response create(ServerRequests.Create body) {
        ServerRequests.Create req = FieldChecks.required("body", body);
        String region = FieldChecks.oneOf("region", req.region(), Offerings.regionIds());
        String plan = FieldChecks.oneOf("plan", req.plan(), Offerings.planIds());
        String image = FieldChecks.oneOf("image", req.image(), Offerings.imageIds());
        int count = ServerChecks.count(req.count());
        String name = FieldChecks.name("name", req.name());
        List<ServerView> servers = commands.create(caller.accountId(), name, region, plan, image, count).stream()
                .map(ServerView::of)
                .toList();
        return Response.status(201)
                .header("Location", "/servers/" + servers.get(0).id())
                .entity(CreateServersResponse.of(servers))
                .build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One server")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public ServerView get(@PathParam("id") String id) {
        return ServerView.of(queries.get(caller.accountId(), id));
    }

    @PUT
    @Path("{id}")
    @Operation(
            summary = "Rename a server and/or change its plan",
            description = "A new name records server.renamed, "
                    + "a new plan server.scaled. 409 if the server is terminated or changed concurrently.")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public ServerView update(@PathParam("id") String id, ServerRequests.Update body) {
        ServerRequests.Update req = FieldChecks.required("body", body);
        if (req.name() == null && req.plan() == null) {
            throw io.cloudnexus.common.problem.ProblemException.badRequest("Give 'name' and/or 'plan'.", null);
        }
        FieldChecks.name("name", req.name());
        FieldChecks.optionalOneOf("plan", req.plan(), Offerings.planIds());
        return ServerView.of(commands.update(caller.accountId(), id, req.name(), req.plan()));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Terminate a server", description = "Records server.terminated; later changes answer 409.")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public ServerView terminate(@PathParam("id") String id) {
        return ServerView.of(commands.terminate(caller.accountId(), id));
    }

    @POST
    @Path("{id}/backups")
    @Operation(
            summary = "Start a backup",
            description = "Answers 202 with the pending backup; backup.completed is "
                    + "recorded when the (simulated) backup finishes. The server must be active.")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response backup(@PathParam("id") String id) {
        return Response.accepted(BackupView.pending(commands.requestBackup(caller.accountId(), id)))
                .build();
    }

    @GET
    @Path("{id}/backups")
    @Operation(summary = "Backups of a server: running ones first, then completed ones, newest first")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public Page<BackupView> backups(@PathParam("id") String id) {
        queries.get(caller.accountId(), id);
        List<BackupView> all = new ArrayList<>();
        queries.runningBackups(caller.accountId(), id).forEach(r -> all.add(BackupView.pending(r)));
        queries.backups(caller.accountId(), id).forEach(b -> all.add(BackupView.completed(b)));
        return new Page<>(all, false);
    }

    @GET
    @Path("{id}/firewall")
    @Operation(summary = "The server's firewall rules")
    @RolesAllowed(IdentityClaims.SCOPE_READ)
    public FirewallView firewall(@PathParam("id") String id) {
        return FirewallView.of(queries.get(caller.accountId(), id));
    }

    @PUT
    @Path("{id}/firewall")
    @Operation(summary = "Replace the server's firewall rules", description = "Records firewall.updated.")
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public FirewallView updateFirewall(@PathParam("id") String id, ServerRequests.Firewall body) {
        ServerRequests.Firewall req = FieldChecks.required("body", body);
        ServerEntity server = commands.updateFirewall(caller.accountId(), id, ServerChecks.rules(req.rules()));
        return FirewallView.of(server);
    }

    @POST
    @Path("{id}/threats")
    @Operation(
            summary = "Simulate an attack on an active server",
            description =
                    "Records security.threat.detected " + "(for demos and tests); attack_type is random unless given.")
    @APIResponse(
            responseCode = "201",
            description = "Recorded",
            content = @Content(schema = @Schema(implementation = ThreatView.class)))
    @RolesAllowed(IdentityClaims.SCOPE_WRITE)
    public Response threat(@PathParam("id") String id, ServerRequests.ThreatTrigger body) {
        String type =
                body == null ? null : FieldChecks.optionalOneOf("attack_type", body.attackType(), Threat.ATTACK_TYPES);
        Threat threat = Threat.random(ThreadLocalRandom.current(), type);
        return Response.status(201)
                .entity(ThreatView.of(commands.detectThreat(caller.accountId(), id, threat)))
                .build();
    }
}
