package io.cloudnexus.gateway.console;

import io.vertx.core.http.HttpServerResponse;

/** The security headers of every {@code /console/**} response (the app and its session endpoints). */
final class ConsoleHeaders {

    /** Same-origin only, no inline script or style, never framed. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    static final String NO_STORE = "no-store";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private ConsoleHeaders() {}

    static void apply(HttpServerResponse response, String cacheControl) {
        response.putHeader("Content-Security-Policy", CSP);
        response.putHeader("X-Frame-Options", "DENY");
        response.putHeader("X-Content-Type-Options", "nosniff");
        response.putHeader("Referrer-Policy", "no-referrer");
        response.putHeader("Cache-Control", cacheControl);
    }
}
