package io.cloudnexus.gateway.console;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/**
 * The gateway's own origin, for cookie-authenticated requests: an {@code Origin} header, when present, must
 * be the request's own scheme, host and port (as the browser addressed the gateway) or the configured
 * {@code console.public-origin}; anything else (another site, {@code null}) is 403. Also decides whether the
 * session cookie may omit {@code Secure}: only on plain http to localhost (when configured).
 */
@ApplicationScoped
public class SameOrigin {

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1");

    private record Origin(String scheme, String host, int port) {}

    private final Optional<Origin> publicOrigin;
    private final boolean insecureLocalhost;

    public SameOrigin(GatewayConfig config) {
        this.publicOrigin = config.console().publicOrigin().map(o -> {
            Origin parsed = parse(o);
            if (parsed == null) {
                throw new IllegalArgumentException(
                        "cloudnexus.gateway.console.public-origin must be scheme://host[:port], not " + o);
            }
            return parsed;
        });
        this.insecureLocalhost = config.console().insecureLocalhost();
    }

    /** 403 if the request has an {@code Origin} header naming another origin than the gateway's own. */
    public void check(HttpServerRequest request) {
        String header = request.getHeader("Origin");
        if (header == null) {
            return;
        }
        Origin origin = parse(header.trim());
        if (origin == null
                || !(origin.equals(own(request))
                        || publicOrigin.map(origin::equals).orElse(false))) {
            throw ProblemException.forbidden("The Origin of this request is not the gateway's own origin");
        }
    }

    /** Whether the session cookie must carry {@code Secure} for this request. */
    public boolean secureCookie(HttpServerRequest request) {
        Origin own = own(request);
        return !(insecureLocalhost && "http".equals(own.scheme()) && LOCAL_HOSTS.contains(own.host()));
    }

    private static Origin own(HttpServerRequest request) {
        String scheme = request.scheme() == null ? "http" : request.scheme().toLowerCase(Locale.ROOT);
        HostAndPort authority = request.authority();
        if (authority == null) {
            return new Origin(scheme, "", defaultPort(scheme));
        }
        return new Origin(
                scheme, host(authority.host()), authority.port() < 0 ? defaultPort(scheme) : authority.port());
    }

    private static Origin parse(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (scheme == null
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            return new Origin(scheme, host(uri.getHost()), uri.getPort() < 0 ? defaultPort(scheme) : uri.getPort());
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String host(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : 80;
    }
}
