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

    private final ProxyHandler proxy;
    private final ProblemWriter problems;

    public GatewayRouter(ProxyHandler proxy, ProblemWriter problems) {
        this.proxy = proxy;
        this.problems = problems;
    }

    void register(@Observes Router router) {
        // every /v2 path but the gateway's own REST endpoints (OAuth, self-service API keys: JAX-RS)
        router.routeWithRegex(PROXIED).order(-10).handler(proxy::handle);
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
