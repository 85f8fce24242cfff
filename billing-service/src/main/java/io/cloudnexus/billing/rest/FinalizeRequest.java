package io.cloudnexus.billing.rest;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * POST /billing/invoices/finalize: {@code period} (YYYY-MM, an ended month; default the previous month) and
 * optionally one {@code account_id}. For an account's credential the account is always the caller's (another id is
 * a 403); for the operator it defaults to every account with usage or a draft in the period.
 */
public record FinalizeRequest(
        String period, @JsonProperty("account_id") String accountId) {}
