package io.cloudnexus.gateway.oauth;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.rest.AccountGuard;
import io.cloudnexus.gateway.rest.Inputs;
import io.cloudnexus.gateway.rest.Listing;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code /v2/oauth/clients}: an account's OAuth clients, managed with any of its credentials (GET needs
 * read, POST and DELETE write). A client may only get scopes the credential creating it has (else 403);
 * its secret is in the creation answer only. Another account's client ids are 404.
 */
@Path(ClientResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "OAuth", description = "OAuth 2.0 client credentials for machine clients")
public class ClientResource {

    public static final String PATH = "/v2/oauth/clients";

    /** Creates a client: a display name and the scopes its tokens may have. */
    public record NewClient(String name, List<String> scopes) {}

    /** A client as listed; {@code client_secret} only in the creation answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientView(
            @JsonProperty("client_id") String clientId,
            String name,
            List<String> scopes,
            @JsonProperty("created_at") OffsetDateTime createdAt,
            @JsonProperty("client_secret") String clientSecret) {

        static ClientView of(OAuthClient client, String secret) {
            return new ClientView(
                    client.id,
                    client.name,
                    Scope.parse(client.scopes).stream().sorted().toList(),
                    client.createdAt,
                    secret);
        }
    }

    private final AccountGuard guard;
    private final OAuthClients clients;

    public ClientResource(AccountGuard guard, OAuthClients clients) {
        this.guard = guard;
        this.clients = clients;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create an OAuth client (the secret is in this answer only)")
    public Response create(@Context HttpHeaders headers, @Context HttpServerRequest request, String raw) {
        AccountGuard.Admitted admitted = guard.admit(request);
        NewClient body = guard.body(headers, raw, "POST", PATH, NewClient.class);
        String name = Inputs.name("name", body.name());
        Set<String> scopes = admitted.grantable("A client", body.scopes());
        OAuthClients.Issued issued = clients.create(admitted.caller().accountId(), name, scopes);
        return admitted.with(Response.status(201).entity(ClientView.of(issued.client(), issued.secret())))
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Operation(summary = "List the account's OAuth clients (without secrets)")
    public Response list(@Context HttpServerRequest request) {
        AccountGuard.Admitted admitted = guard.admit(request);
        List<ClientView> listed = clients.list(admitted.caller().accountId()).stream()
                .map(c -> ClientView.of(c, null))
                .toList();
        return admitted.with(Response.ok(Listing.all(listed))).build();
    }

    @DELETE
    @Path("/{clientId}")
    @Operation(summary = "Delete an OAuth client and revoke its tokens")
    public Response delete(@Context HttpServerRequest request, @PathParam("clientId") String clientId) {
        AccountGuard.Admitted admitted = guard.admit(request);
        clients.delete(admitted.caller().accountId(), clientId);
        return admitted.with(Response.noContent()).build();
    }
}
