package io.cloudnexus.gateway.proxy;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;

/**
 * Maps public /v2 paths to a service and its path (the services have no /v2 prefix):
 * servers, regions, plans, images: compute; clusters/k8s: cluster; billing: billing; webhooks, events:
 * webhook.
 */
@ApplicationScoped
public class RouteTable {

    /** A service's base URL, split for the HTTP client. */
    public record Upstream(String name, String host, int port, boolean ssl, String basePath) {

        static Upstream of(String name, String url) {
            URI uri = URI.create(url);
            boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
            String base = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            return new Upstream(name, uri.getHost(), port, ssl, base);
        }
    }

    /** Where one request goes: the service and the path (with query) on it. */
    public record Target(Upstream upstream, String uri) {}

    private final Map<String, Upstream> byFirstSegment;
    private final Upstream billing;

    public RouteTable(GatewayConfig config) {
        Upstream compute = Upstream.of("compute", config.routes().compute());
        Upstream cluster = Upstream.of("cluster", config.routes().cluster());
        Upstream billing = Upstream.of("billing", config.routes().billing());
        Upstream webhook = Upstream.of("webhook", config.routes().webhook());
        this.billing = billing;
        byFirstSegment = Map.of(
                "servers",
                compute,
                "regions",
                compute,
                "plans",
                compute,
                "images",
                compute,
                "clusters",
                cluster,
                "billing",
                billing,
                "webhooks",
                webhook,
                "events",
                webhook);
    }

    /** billing-service (the admin API's operator routes go there directly). */
    public Upstream billing() {
        return billing;
    }

    /** The target of a raw request path under /v2, or null if no service serves it. */
    public Target resolve(String rawPath, String rawQuery) {
        if (rawPath == null || !rawPath.startsWith("/v2/") || !safe(rawPath)) {
            return null;
        }
        String rest = rawPath.substring(3);
        int slash = rest.indexOf('/', 1);
        String first = slash < 0 ? rest.substring(1) : rest.substring(1, slash);
        Upstream upstream = byFirstSegment.get(first);
        if (upstream == null) {
            return null;
        }
        if (first.equals("clusters") && !(rest.equals("/clusters/k8s") || rest.startsWith("/clusters/k8s/"))) {
            return null;
        }
        String uri = upstream.basePath() + rest + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
        return new Target(upstream, uri);
    }

    /** No dot segments, encoded slashes or dots, or backslashes: a path may not climb out of its route. */
    private static boolean safe(String rawPath) {
        String lower = rawPath.toLowerCase(Locale.ROOT);
        return !(lower.contains("/../")
                || lower.endsWith("/..")
                || lower.contains("/./")
                || lower.endsWith("/.")
                || lower.contains("%2e")
                || lower.contains("%2f")
                || lower.contains("%5c")
                || lower.contains("\\")
                || lower.contains("//"));
    }
}
