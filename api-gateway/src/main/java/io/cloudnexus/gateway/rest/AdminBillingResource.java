package io.cloudnexus.gateway.rest;

import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudnexus.gateway.problem.Problem;
import io.cloudnexus.gateway.problem.RequestIds;
import io.cloudnexus.gateway.proxy.OperatorClient;
import io.cloudnexus.gateway.proxy.RouteTable;
import io.cloudnexus.gateway.rest.AdminDtos.FinalizeInvoices;

/**
 * Operator routes into billing-service: only for the operator (bootstrap admin key or an OIDC token with
 * the admin role, never an account's API key, whatever its scopes), forwarded with the operator identity
 * token ({@code sub} and {@code groups} "operator"), which billing requires for cross-account actions.
 */
@Path("/admin/billing")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Admin", description = "Accounts and API keys (operators only)")
public class AdminBillingResource {

    private final AdminGuard guard;
    private final OperatorClient operator;
    private final RouteTable routes;
    private final ObjectMapper mapper;

    public AdminBillingResource(AdminGuard guard, OperatorClient operator, RouteTable routes, ObjectMapper mapper) {
        this.guard = guard;
        this.operator = operator;
        this.routes = routes;
        this.mapper = mapper;
    }

    @POST
    @Path("/invoices/finalize")
    @Operation(summary = "Finalize the invoices of an ended period, of one account or of all (operator)")
    @APIResponse(
            responseCode = "200",
            description = "billing-service's answer",
            content = @Content(schema = @Schema(ref = "FinalizeResult")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @APIResponse(responseCode = "504", ref = "Timeout")
    public Response finalizeInvoices(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(RequestIds.HEADER) String requestId,
            FinalizeInvoices body) {
        guard.check(authorization);
        FinalizeInvoices request = new FinalizeInvoices(
                Inputs.optionalPeriod("period", body == null ? null : body.period()),
                Inputs.optionalAccountId("account_id", body == null ? null : body.accountId()));
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        OperatorClient.Answer answer =
                operator.post(routes.billing(), "/billing/invoices/finalize", json, RequestIds.sanitize(requestId));
        boolean problem = answer.contentType() != null && answer.contentType().startsWith(Problem.MEDIA_TYPE);
        if (answer.status() >= 500 && !problem) {
            throw operator.serviceFailure(routes.billing(), answer.status());
        }
        return Response.status(answer.status())
                .type(answer.contentType() == null ? MediaType.APPLICATION_JSON : answer.contentType())
                .entity(new String(answer.body(), StandardCharsets.UTF_8))
                .build();
    }
}
