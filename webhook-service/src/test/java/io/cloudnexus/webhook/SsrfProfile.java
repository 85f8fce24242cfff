package io.cloudnexus.webhook;

import java.util.Map;
import java.util.Set;

import io.cloudnexus.webhook.outbound.ScriptedNameLookup;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Outbound safety as in production (no private or loopback addresses), except that 127.0.0.1 itself is
 * allow-listed and plain http allowed so a loopback receiver can play the customer's public endpoint.
 * Names are resolved through {@link ScriptedNameLookup} (unscripted names go to the JVM resolver), without
 * the resolver's cache, so a test can make a name answer IPv6 forms carrying IPv4, or rebind it.
 */
public class SsrfProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "cloudnexus.webhooks.outbound.allow-private", "false",
                "cloudnexus.webhooks.outbound.allow-http", "true",
                "cloudnexus.webhooks.outbound.allow-list", "127.0.0.1/32",
                "cloudnexus.webhooks.outbound.dns-cache-ttl", "0s");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ScriptedNameLookup.class);
    }
}
