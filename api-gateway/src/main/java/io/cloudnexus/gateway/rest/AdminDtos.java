package io.cloudnexus.gateway.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.cloudnexus.gateway.domain.Account;
import io.cloudnexus.gateway.domain.ApiKey;
import io.cloudnexus.gateway.domain.Scope;

/** Request and response bodies of the admin API. */
public final class AdminDtos {

    private AdminDtos() {}

    /** Creates an account. {@code tier}: starter, professional or enterprise. */
    public record NewAccount(
            String name,
            String tier,
            @JsonProperty("custom_rate_limit") Integer customRateLimit) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AccountView(
            String id,
            String name,
            String tier,
            @JsonProperty("rate_limit") int rateLimit,
            @JsonProperty("custom_rate_limit") Integer customRateLimit,
            @JsonProperty("created_at") OffsetDateTime createdAt) {

        static AccountView of(Account account, int rateLimit) {
            return new AccountView(
                    account.id,
                    account.name,
                    account.tier.wireName(),
                    rateLimit,
                    account.customRateLimit,
                    account.createdAt);
        }
    }

    /**
     * Finalizes the invoices of an ended period (operator route): {@code period} YYYY-MM (default: the
     * previous month), {@code account_id} one account (default: every account).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FinalizeInvoices(
            String period, @JsonProperty("account_id") String accountId) {}

    /** Creates a key with the given scopes (read, write, admin). */
    public record NewKey(String name, Set<String> scopes) {}

    /** A key as listed: never the key itself. {@code key} is only set once, in the creation answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(
            String id,
            @JsonProperty("account_id") String accountId,
            String name,
            String prefix,
            List<String> scopes,
            @JsonProperty("created_at") OffsetDateTime createdAt,
            @JsonProperty("revoked_at") OffsetDateTime revokedAt,
            String key) {

        static KeyView of(ApiKey key, String plaintext) {
            return new KeyView(
                    key.id,
                    key.accountId,
                    key.name,
                    key.keyPrefix,
                    Scope.parse(key.scopes).stream().sorted().toList(),
                    key.createdAt,
                    key.revokedAt,
                    plaintext);
        }
    }
}
