package io.cloudnexus.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.domain.Account;
import io.cloudnexus.gateway.domain.Tier;

/** The requests per window an account may make: its custom limit, else its tier's. */
@ApplicationScoped
public class TierLimits {

    private final GatewayConfig.RateLimit config;

    public TierLimits(GatewayConfig config) {
        this.config = config.rateLimit();
    }

    public int limitFor(Account account) {
        if (account.customRateLimit != null) {
            return account.customRateLimit;
        }
        return forTier(account.tier);
    }

    public int forTier(Tier tier) {
        return switch (tier) {
            case STARTER -> config.starter();
            case PROFESSIONAL -> config.professional();
            case ENTERPRISE -> config.enterprise();
        };
    }
}
