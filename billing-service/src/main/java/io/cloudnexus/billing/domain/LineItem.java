package io.cloudnexus.billing.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Billed usage of one resource at one price within a period.
 *
 * @param resourceType {@code server} or {@code node}
 * @param resourceId {@code srv_...}, or {@code cls_.../<node id>} for a node
 * @param sku the plan (servers) or node size (nodes)
 * @param usageSeconds running time within the period
 * @param unitAmount price in cents per hour
 * @param amount {@code usageSeconds x unitAmount / 3600}, rounded half up to whole cents
 */
public record LineItem(
        String resourceType, String resourceId, String sku, long usageSeconds, int unitAmount, long amount) {

    public static LineItem priced(String resourceType, String resourceId, String sku, long seconds, int centsPerHour) {
        return new LineItem(resourceType, resourceId, sku, seconds, centsPerHour, amount(seconds, centsPerHour));
    }

    /** Cents for {@code seconds} at {@code centsPerHour}, half up. */
    public static long amount(long seconds, int centsPerHour) {
        return (seconds * centsPerHour + 1800) / 3600;
    }

    /** Hours as a decimal, e.g. 2.5 (up to 4 places). */
    public BigDecimal hours() {
        return hours(usageSeconds);
    }

    public static BigDecimal hours(long seconds) {
        BigDecimal h = BigDecimal.valueOf(seconds)
                .divide(BigDecimal.valueOf(3600), 4, RoundingMode.HALF_UP)
                .stripTrailingZeros();
        return h.scale() < 0 ? h.setScale(0) : h;
    }

    public String description() {
        return ("server".equals(resourceType)
                        ? "Server " + resourceId + ", plan "
                        : "Kubernetes node " + resourceId + ", size ")
                + sku;
    }
}
