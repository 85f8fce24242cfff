package io.cloudnexus.gateway.proxy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.problem.LogSafe;

/**
 * Maps public /v2 paths to a service and its path (the services have no /v2 prefix):
 * servers, regions, plans, images: compute; clusters/k8s: cluster; billing: billing; webhooks, events:
 * webhook. One route is a {@link Kind#STREAM stream}: {@value #STREAM_PATH}, the live event stream of
 * webhook-service (a WebSocket upgrade or a Server-Sent Events response without a deadline), where a
 * {@value #TICKET_PARAM} query parameter may stand for the credential; {@value #TICKETS_PATH} is answered
 * by the gateway itself ({@link Kind#STREAM_TICKETS}).
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

    /** What the gateway does with a request of a route. */
    public enum Kind {
        /** Forwarded to its service, answered within {@code upstream.timeout}. */
        SERVICE,
        /** The live event stream: a WebSocket relayed both ways, or an SSE response piped without a deadline. */
        STREAM,
        /** Stream tickets, issued by the gateway itself. */
        STREAM_TICKETS
    }

    /** The public path of the live event stream. */
    public static final String STREAM_PATH = "/v2/events/stream";

    /** Where browsers get a ticket for the stream (they cannot set headers on a WebSocket). */
    public static final String TICKETS_PATH = STREAM_PATH + "/tickets";

    /** The stream route's query parameter holding a ticket; never forwarded, a credential nowhere else. */
    public static final String TICKET_PARAM = "ticket";

    /**
     * Query parameters that could carry a credential: on the stream route they are never accepted as one
     * (only a ticket is) and never forwarded to the service; no log line shows their values.
     */
    static final Set<String> CREDENTIAL_PARAMS = LogSafe.SECRET_PARAMS;

    /**
     * Where one request goes: the service and the path (with query) on it, the kind of route, and on the
     * stream route the ticket of the query (null when there is none or more than one).
     */
    public record Target(Upstream upstream, String uri, Kind kind, String ticket) {

        public boolean stream() {
            return kind == Kind.STREAM;
        }

        /** The scope {@code method} needs here: tickets only open (read-only) streams, so they need read. */
        public String requiredScope(String method) {
            return kind == Kind.STREAM_TICKETS ? Scope.READ : Scope.required(method);
        }

        /** The only method the route serves (405 for others), or null when the service decides. */
        public String onlyMethod() {
            return switch (kind) {
                case SERVICE -> null;
                case STREAM -> "GET";
                case STREAM_TICKETS -> "POST";
            };
        }
    }

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

    /**
     * Every public path prefix this table routes ({@code /v2/servers}, {@code /v2/clusters/k8s}, ...): what the
     * OpenAPI document must cover (OpenApiTest).
     */
    public Set<String> publicPrefixes() {
        return byFirstSegment.keySet().stream()
                .map(first -> first.equals("clusters") ? "/v2/clusters/k8s" : "/v2/" + first)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
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
        if (rawPath.equals(TICKETS_PATH)) {
            return new Target(upstream, null, Kind.STREAM_TICKETS, null);
        }
        if (rawPath.equals(STREAM_PATH)) {
            List<String> tickets = new ArrayList<>();
            String query = withoutCredentials(rawQuery, tickets);
            return new Target(
                    upstream,
                    upstream.basePath() + rest + query,
                    Kind.STREAM,
                    tickets.size() == 1 ? tickets.get(0) : null);
        }
        String uri = upstream.basePath() + rest + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
        return new Target(upstream, uri, Kind.SERVICE, null);
    }

    /**
     * The query ({@code ?...}, or empty) without its {@link #CREDENTIAL_PARAMS}, every other parameter
     * unchanged and in order; the values of {@code ticket} parameters are added to {@code tickets}.
     */
    static String withoutCredentials(String rawQuery, List<String> tickets) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        StringBuilder kept = new StringBuilder();
        for (String pair : rawQuery.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (name != null && CREDENTIAL_PARAMS.contains(name.toLowerCase(Locale.ROOT))) {
                if (name.equals(TICKET_PARAM)) {
                    tickets.add(equals < 0 ? "" : decode(pair.substring(equals + 1)));
                }
                continue;
            }
            kept.append(kept.isEmpty() ? '?' : '&').append(pair);
        }
        return kept.toString();
    }

    /** A decoded query component, or null when it is not valid percent-encoding. */
    private static String decode(String component) {
        try {
            return URLDecoder.decode(component, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
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
