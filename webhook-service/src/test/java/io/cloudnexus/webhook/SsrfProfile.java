package io.cloudnexus.webhook;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Outbound safety as in production (no private or loopback addresses), except that 127.0.0.1 itself is
 * allow-listed and plain http allowed so a loopback receiver can play the customer's public endpoint.
 */
public class SsrfProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "cloudnexus.webhooks.outbound.allow-private", "false",
                "cloudnexus.webhooks.outbound.allow-http", "true",
                "cloudnexus.webhooks.outbound.allow-list", "127.0.0.1/32");
    }
}
