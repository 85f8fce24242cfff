package io.cloudnexus.gateway.rest;

import java.util.List;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudnexus.gateway.domain.Account;
import io.cloudnexus.gateway.domain.ApiKey;
import io.cloudnexus.gateway.domain.Tier;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.rest.AdminDtos.AccountView;
import io.cloudnexus.gateway.rest.AdminDtos.KeyView;
import io.cloudnexus.gateway.rest.AdminDtos.NewAccount;
import io.cloudnexus.gateway.rest.AdminDtos.NewKey;
import io.cloudnexus.gateway.service.AccountService;
import io.cloudnexus.gateway.service.CredentialCache;
import io.cloudnexus.gateway.service.TierLimits;

/** The admin API: accounts and their API keys. Needs the bootstrap admin key or an OIDC admin. */
@Path("/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Admin", description = "Accounts and API keys (operators only)")
@APIResponses({
    @APIResponse(responseCode = "400", ref = "BadRequest"),
    @APIResponse(responseCode = "401", ref = "Unauthorized"),
    @APIResponse(responseCode = "403", ref = "Forbidden"),
    @APIResponse(responseCode = "404", ref = "NotFound"),
    @APIResponse(responseCode = "503", ref = "Unavailable")
})
public class AdminResource {

    private final AccountService accounts;
    private final AdminGuard guard;
    private final TierLimits limits;
    private final CredentialCache cache;

    public AdminResource(AccountService accounts, AdminGuard guard, TierLimits limits, CredentialCache cache) {
        this.accounts = accounts;
        this.guard = guard;
        this.limits = limits;
        this.cache = cache;
    }

    @POST
    @Operation(summary = "Create an account")
    @APIResponse(
            responseCode = "201",
            description = "The account",
            content = @Content(schema = @Schema(implementation = AccountView.class)))
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, NewAccount body) {
        guard.check(authorization);
        String name = Inputs.name("name", body == null ? null : body.name());
        if (name == null || name.isEmpty()) {
            throw ProblemException.badRequest("name is required");
        }
        Tier tier;
        try {
            tier = Tier.fromWire(body.tier() == null ? "" : body.tier());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        if (body.customRateLimit() != null && body.customRateLimit() <= 0) {
            throw ProblemException.badRequest("custom_rate_limit must be positive");
        }
        Account account = accounts.createAccount(name, tier, body.customRateLimit());
        return Response.status(201)
                .entity(AccountView.of(account, limits.limitFor(account)))
                .build();
    }

    @GET
    @Path("/{accountId}")
    @Operation(summary = "Get an account")
    @APIResponse(
            responseCode = "200",
            description = "The account with its effective rate_limit",
            content = @Content(schema = @Schema(implementation = AccountView.class)))
    public AccountView get(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("accountId") String accountId) {
        guard.check(authorization);
        Account account = accounts.find(Inputs.accountId(accountId))
                .orElseThrow(() -> ProblemException.notFound("No account " + accountId));
        return AccountView.of(account, limits.limitFor(account));
    }

    @POST
    @Path("/{accountId}/keys")
    @Operation(summary = "Create an API key (the key is in this answer only)")
    @APIResponse(
            responseCode = "201",
            description = "The key, with `key` (shown only here)",
            content = @Content(schema = @Schema(implementation = KeyView.class)))
    public Response createKey(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("accountId") String accountId,
            NewKey body) {
        guard.check(authorization);
        Set<String> scopes = body == null || body.scopes() == null ? Set.of() : body.scopes();
        AccountService.IssuedKey issued = accounts.createKey(
                Inputs.accountId(accountId), Inputs.name("name", body == null ? null : body.name()), scopes);
        return Response.status(201)
                .entity(KeyView.of(issued.key(), issued.plaintext()))
                .build();
    }

    @GET
    @Path("/{accountId}/keys")
    @Operation(summary = "List an account's API keys (without the keys)")
    @APIResponse(
            responseCode = "200",
            description = "The keys",
            content = @Content(schema = @Schema(implementation = KeyView.class, type = SchemaType.ARRAY)))
    public List<KeyView> keys(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("accountId") String accountId) {
        guard.check(authorization);
        return accounts.keys(Inputs.accountId(accountId)).stream()
                .map(k -> KeyView.of(k, null))
                .toList();
    }

    @DELETE
    @Path("/{accountId}/keys/{keyId}")
    @Operation(summary = "Revoke an API key")
    @APIResponse(
            responseCode = "200",
            description = "The revoked key",
            content = @Content(schema = @Schema(implementation = KeyView.class)))
    public KeyView revoke(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("accountId") String accountId,
            @PathParam("keyId") String keyId) {
        guard.check(authorization);
        ApiKey revoked = accounts.revoke(Inputs.accountId(accountId), Inputs.keyId(keyId));
        cache.invalidateKey(revoked.keyHash);
        return KeyView.of(revoked, null);
    }
}
