package io.cloudnexus.billing.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudnexus.billing.config.BillingConfig;
import io.cloudnexus.common.rest.SafeText;

/** Prices in cents per hour from {@code cloudnexus.billing.prices.*}; an unpriced plan or size is free (and logged). */
@ApplicationScoped
public class PriceList {

    private static final Logger LOG = Logger.getLogger(PriceList.class);

    private final BillingConfig config;

    public PriceList(BillingConfig config) {
        this.config = config;
    }

    public String currency() {
        return config.prices().currency();
    }

    /** Cents per hour of {@code sku} for a resource of {@code resourceType} (server: plans, node: node sizes). */
    public int centsPerHour(String resourceType, String sku) {
        Integer price = ("server".equals(resourceType)
                        ? config.prices().plans()
                        : config.prices().nodeSizes())
                .get(sku);
        if (price == null) {
            LOG.warnf(
                    "No price for %s '%s' in cloudnexus.billing.prices; billed at 0",
                    resourceType, SafeText.forLog(sku));
            return 0;
        }
        return price;
    }
}
