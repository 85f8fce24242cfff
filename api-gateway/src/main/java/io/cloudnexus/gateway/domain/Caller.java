package io.cloudnexus.gateway.domain;

import java.util.Set;

/**
 * Who a request comes from once its credential is verified: the account, its tier and rate limit,
 * and the scopes the credential grants.
 */
public record Caller(String accountId, Tier tier, int rateLimit, Set<String> scopes) {}
