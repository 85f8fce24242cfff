package io.cloudnexus.gateway.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/** Registers the console on the Vert.x router: its session endpoints, then the app's files. */
@ApplicationScoped
public class ConsoleRouter {

    private final SessionHandler sessions;
    private final ConsoleAssets assets;

    public ConsoleRouter(SessionHandler sessions, ConsoleAssets assets) {
        this.sessions = sessions;
        this.assets = assets;
    }

    void register(@Observes Router router) {
        router.route(SessionHandler.PATH).order(-12).handler(ctx -> {
            if (ctx.request().path().equals(SessionHandler.PATH)) {
                sessions.handle(ctx);
            } else {
                assets.handle(ctx);
            }
        });
        router.route("/console").order(-11).handler(ctx -> {
            if (ctx.request().path().equals("/console")) {
                assets.redirect(ctx);
            } else {
                ctx.next();
            }
        });
        router.routeWithRegex("/console/.*").order(-10).handler(assets::handle);
    }
}
