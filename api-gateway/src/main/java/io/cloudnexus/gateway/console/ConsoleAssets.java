package io.cloudnexus.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.problem.ProblemWriter;
import io.cloudnexus.gateway.problem.RequestIds;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The console app at {@code /console/}, read from the class path ({@code META-INF/resources/console/}, the
 * console jar's resources), so it is served the same from the application and from a dependency jar. A
 * path whose last segment has no file extension is an app route: {@code index.html} ({@code no-store}).
 * Files under {@code assets/} have content hashes in their names: cached for a year ({@code immutable}). A
 * path is only looked up if every segment is plain ({@code [A-Za-z0-9_-]} and inner dots; no {@code ..}, no
 * percent-encoding, no backslash, no empty segment): anything else, and any file not there, is 404. Files
 * read are kept in memory (the app is small and never changes while the gateway runs).
 */
@ApplicationScoped
public class ConsoleAssets {

    public static final String PREFIX = "/console/";
    static final String ROOT = "META-INF/resources/console/";
    private static final Pattern SAFE_PATH =
            Pattern.compile("([A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*/)*" + "([A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*)?");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("webmanifest", "application/manifest+json"));

    private final Vertx vertx;
    private final ProblemWriter problems;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    public ConsoleAssets(Vertx vertx, ProblemWriter problems) {
        this.vertx = vertx;
        this.problems = problems;
    }

    /** {@code /console}: redirect to {@code /console/}. */
    void redirect(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        ConsoleHeaders.apply(response, ConsoleHeaders.NO_STORE);
        response.setStatusCode(301).putHeader(HttpHeaders.LOCATION, PREFIX).end();
    }

    /** {@code /console/**}: a file, the app's index for an app route, or 404. */
    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String requestId = RequestIds.sanitize(request.getHeader(RequestIds.HEADER));
        String path = request.path();
        String relative = path.length() > PREFIX.length() ? path.substring(PREFIX.length()) : "";
        boolean asset = relative.startsWith("assets/");
        ConsoleHeaders.apply(ctx.response(), asset ? ConsoleHeaders.IMMUTABLE : ConsoleHeaders.NO_STORE);
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, ConsoleHeaders.NO_STORE);
            problems.write(
                    ctx.response(),
                    new ProblemException(
                            405,
                            "method-not-allowed",
                            "Method not allowed",
                            "The console serves GET and HEAD only",
                            Map.of("Allow", "GET, HEAD")),
                    path,
                    requestId,
                    Map.of());
            return;
        }
        if (!SAFE_PATH.matcher(relative).matches()) {
            notFound(ctx, path, requestId);
            return;
        }
        String last = relative.substring(relative.lastIndexOf('/') + 1);
        boolean appRoute = !asset && last.indexOf('.') < 0;
        String file = appRoute ? "index.html" : relative;
        if (appRoute) {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, ConsoleHeaders.NO_STORE);
        }
        String extension = file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        byte[] cached = files.get(file);
        if (cached != null) {
            send(ctx, extension, cached);
            return;
        }
        vertx.executeBlocking(() -> read(classLoader(), file), false).onComplete(ar -> {
            if (ar.succeeded() && ar.result().isPresent()) {
                byte[] bytes = ar.result().get();
                files.put(file, bytes);
                send(ctx, extension, bytes);
            } else if (ar.succeeded()) {
                notFound(ctx, path, requestId);
            } else {
                ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, ConsoleHeaders.NO_STORE);
                problems.write(
                        ctx.response(),
                        problems.failure(ar.cause(), requestId, request.method().name(), path),
                        path,
                        requestId,
                        Map.of());
            }
        });
    }

    private void send(RoutingContext ctx, String extension, byte[] bytes) {
        HttpServerResponse response = ctx.response();
        response.setStatusCode(200);
        response.putHeader(HttpHeaders.CONTENT_TYPE, TYPES.getOrDefault(extension, "application/octet-stream"));
        response.end(Buffer.buffer(bytes));
    }

    private void notFound(RoutingContext ctx, String path, String requestId) {
        ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, ConsoleHeaders.NO_STORE);
        problems.write(ctx.response(), ProblemException.notFound("No console file " + path), path, requestId, Map.of());
    }

    private static ClassLoader classLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader == null ? ConsoleAssets.class.getClassLoader() : loader;
    }

    /**
     * The bytes of {@code file} (relative to {@link #ROOT}, already checked to be a plain path) from the
     * class path of {@code loader}, a directory or a jar, if it is there. Only names with an extension are
     * files: a jar answers a directory's name too (with no content).
     */
    static Optional<byte[]> read(ClassLoader loader, String file) throws IOException {
        String last = file.substring(file.lastIndexOf('/') + 1);
        if (last.indexOf('.') <= 0) {
            return Optional.empty();
        }
        java.net.URL url = loader.getResource(ROOT + file);
        if (url == null) {
            return Optional.empty();
        }
        try (InputStream in = url.openStream()) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            // a directory of a jar, or a file gone: nothing to serve
            return Optional.empty();
        }
    }
}
