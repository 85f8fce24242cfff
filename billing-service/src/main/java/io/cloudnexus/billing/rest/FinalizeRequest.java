package io.cloudnexus.billing.rest;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * POST /billing/invoices/finalize: {@code period} (YYYY-MM, an ended month; default the previous month) and
 * optionally one {@code account_id} (default every account with usage or a draft in the period).
 */
public record FinalizeRequest(String period, @JsonProperty("account_id") String accountId) {
}
