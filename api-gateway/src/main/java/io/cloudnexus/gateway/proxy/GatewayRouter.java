package io.cloudnexus.gateway.proxy;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.problem.ProblemWriter;
import io.cloudnexus.gateway.problem.RequestIds;
import io.vertx.ext.web.Router;

/** Registers the /v2 proxy on the Vert.x router, and problem details for paths nobody serves. */
@ApplicationScoped
public class GatewayRouter {

    /** /v2 paths for the proxy: all but /v2/oauth/... and /v2/api-keys..., which the gateway answers itself. */
    static final String PROXIED = "/v2(?!/oauth(?:/|$)|/api-keys(?:/|$))(?:/.*)?";

    /**
     * The proxy's place on the router: before Quarkus' filters (CORS -300, HTTP authentication -200, the REST
     * layer's metrics template path, authorization -100, the OIDC routes), which have nothing to do for a
     * proxied request (the gateway admits it itself, the {@code Gatekeeper}) but cost ~10% of the event loop
     * per request: lazy identity Unis with context capture, a request mapper built per request. Still after
     * Quarkus' own first handlers (access log, configured headers, body handler: {@code Integer.MIN_VALUE}).
     */
    static final int PROXY_ORDER = -1000;

    private final ProxyHandler proxy;
    private final ProblemWriter problems;

    public GatewayRouter(ProxyHandler proxy, ProblemWriter problems) {
        this.proxy = proxy;
        this.problems = problems;
    }

    void register(@Observes Router router) {
        // every /v2 path but the gateway's own REST endpoints (OAuth, self-service API keys: JAX-RS)
        router.routeWithRegex(PROXIED).order(PROXY_ORDER).handler(proxy::handle);
        router.route()
                .last()
                .handler(ctx -> problems.write(
                        ctx.response(),
                        ProblemException.notFound("No route " + ctx.request().path()),
                        ctx.request().path(),
                        RequestIds.sanitize(ctx.request().getHeader(RequestIds.HEADER)),
                        Map.of()));
    }
}
