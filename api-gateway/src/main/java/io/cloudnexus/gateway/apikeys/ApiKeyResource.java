package io.cloudnexus.gateway.apikeys;

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

import io.cloudnexus.gateway.domain.ApiKey;
import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.rest.AccountGuard;
import io.cloudnexus.gateway.rest.Inputs;
import io.cloudnexus.gateway.rest.Listing;
import io.cloudnexus.gateway.service.AccountService;
import io.cloudnexus.gateway.service.CredentialCache;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code /v2/api-keys}: an account's own API keys, managed with any of its credentials (GET needs read, POST
 * and DELETE write). A credential can only create keys with scopes it has itself (else 403); the key is in
 * the creation answer only; another account's key ids are 404. (The operator's admin API stays as it is.)
 */
@Path(ApiKeyResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API keys", description = "The account's own API keys")
public class ApiKeyResource {

    public static final String PATH = "/v2/api-keys";

    /** Creates a key: a display name and its scopes. */
    public record NewKey(String name, List<String> scopes) {}

    /** A key as listed: never the key itself; {@code key} only in the creation answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(
            String id,
            String name,
            String prefix,
            List<String> scopes,
            @JsonProperty("created_at") OffsetDateTime createdAt,

            @JsonProperty("last_used_at") @JsonInclude(JsonInclude.Include.ALWAYS)
            OffsetDateTime lastUsedAt,

            String key) {

        static KeyView of(ApiKey key, String plaintext) {
            return new KeyView(
                    key.id,
                    key.name,
                    key.keyPrefix,
                    Scope.parse(key.scopes).stream().sorted().toList(),
                    key.createdAt,
                    key.lastUsedAt,
                    plaintext);
        }
    }

    private final AccountGuard guard;
    private final AccountService accounts;
    private final CredentialCache cache;

    public ApiKeyResource(AccountGuard guard, AccountService accounts, CredentialCache cache) {
        this.guard = guard;
        this.accounts = accounts;
        this.cache = cache;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create an API key (the key is in this answer only)")
    public Response create(@Context HttpHeaders headers, @Context HttpServerRequest request, String raw) {
        AccountGuard.Admitted admitted = guard.admit(request);
        NewKey body = guard.body(headers, raw, "POST", PATH, NewKey.class);
        String name = Inputs.name("name", body.name());
        Set<String> scopes = admitted.grantable("A key", body.scopes());
        AccountService.IssuedKey issued = accounts.createKey(admitted.caller().accountId(), name, scopes);
        return admitted.with(Response.status(201).entity(KeyView.of(issued.key(), issued.plaintext())))
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Operation(summary = "List the account's active API keys (without the keys)")
    public Response list(@Context HttpServerRequest request) {
        AccountGuard.Admitted admitted = guard.admit(request);
        List<KeyView> keys = accounts.keys(admitted.caller().accountId()).stream()
                .filter(k -> k.revokedAt == null)
                .map(k -> KeyView.of(k, null))
                .toList();
        return admitted.with(Response.ok(Listing.all(keys))).build();
    }

    @DELETE
    @Path("/{keyId}")
    @Operation(summary = "Revoke an API key")
    public Response delete(@Context HttpServerRequest request, @PathParam("keyId") String keyId) {
        AccountGuard.Admitted admitted = guard.admit(request);
        // another account's key is 404, as is one of the wrong form (without a look-up)
        ApiKey revoked = accounts.revoke(admitted.caller().accountId(), Inputs.keyId(keyId));
        cache.invalidateKey(revoked.keyHash);
        return admitted.with(Response.noContent()).build();
    }
}
