package io.cloudnexus.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.annotation.security.RolesAllowed;

import org.junit.jupiter.api.Test;

import io.restassured.response.Response;

/**
 * What every service behind the gateway promises: an API request without a valid gateway identity
 * token (missing, malformed, signed by another key, expired) gets 401; an authenticated request for
 * an unknown route gets 404 problem details carrying the request id; every API method declares the scope it
 * needs ({@code @RolesAllowed}), and a credential without it gets a 403 naming the scope.
 */
public interface IdentityProtectedContract {

    /** The JAX-RS method designators (by name: test-support does not depend on the JAX-RS API). */
    Set<String> HTTP_METHODS = Set.of(
            "jakarta.ws.rs.GET",
            "jakarta.ws.rs.POST",
            "jakarta.ws.rs.PUT",
            "jakarta.ws.rs.DELETE",
            "jakarta.ws.rs.PATCH");

    /** A path of the service's API that needs an identity token (must exist or not, either is fine). */
    default String protectedPath() {
        return "/no-such-resource";
    }

    /** The package of the service's resource classes, e.g. {@code io.cloudnexus.compute.rest}. */
    String restPackage();

    /** Resource methods open to any authenticated caller (catalogs), as {@code SimpleClassName.method}. */
    default Set<String> openMethods() {
        return Set.of();
    }

    /** A GET path that needs the {@code read} scope. */
    String readPath();

    /** A POST path that needs the {@code write} (or, for billing, {@code admin}) scope, sent an empty object. */
    String writePath();

    /** The scope {@link #writePath()} needs. */
    default String writeScope() {
        return "write";
    }

    @Test
    default void everyApiMethodDeclaresTheScopeItNeeds() {
        List<String> undeclared = new ArrayList<>();
        List<String> changesWithRead = new ArrayList<>();
        for (Class<?> resource : resourceClasses(restPackage())) {
            for (Method m : resource.getDeclaredMethods()) {
                List<String> designators = Stream.of(m.getAnnotations())
                        .map(a -> a.annotationType().getName())
                        .filter(HTTP_METHODS::contains)
                        .toList();
                String name = resource.getSimpleName() + "." + m.getName();
                RolesAllowed roles = m.isAnnotationPresent(RolesAllowed.class)
                        ? m.getAnnotation(RolesAllowed.class)
                        : resource.getAnnotation(RolesAllowed.class);
                if (designators.isEmpty() || openMethods().contains(name)) {
                    continue;
                }
                if (roles == null) {
                    undeclared.add(name);
                } else if (!designators.contains("jakarta.ws.rs.GET")
                        && List.of(roles.value()).contains("read")) {
                    changesWithRead.add(name);
                }
            }
        }
        assertThat(undeclared).as("API methods without @RolesAllowed").isEmpty();
        assertThat(changesWithRead)
                .as("POST/PUT/PATCH/DELETE methods allowed with the read scope")
                .isEmpty();
    }

    @Test
    default void aCredentialWithoutTheScopeGetsA403NamingIt() {
        Response read = given().auth()
                .oauth2(IdentityTokens.mint("acc_scopeless", "starter", Set.of()))
                .get(readPath());
        assertThat(read.statusCode()).as(read.asString()).isEqualTo(403);
        assertThat(read.contentType()).startsWith("application/problem+json");
        assertThat(read.jsonPath().getString("detail")).contains("'read'");
        Response write = given().auth()
                .oauth2(IdentityTokens.mint("acc_readonly", "starter", Set.of("read")))
                .contentType("application/json")
                .body("{}")
                .post(writePath());
        assertThat(write.statusCode()).as(write.asString()).isEqualTo(403);
        assertThat(write.jsonPath().getString("detail")).contains("'" + writeScope() + "'");
        Response admin = given().auth()
                .oauth2(IdentityTokens.mint("acc_admin", "starter", Set.of("admin")))
                .get(readPath());
        assertThat(admin.statusCode())
                .as("admin implies read: " + admin.asString())
                .isEqualTo(200);
    }

    private static List<Class<?>> resourceClasses(String pkg) {
        try {
            var url = Thread.currentThread().getContextClassLoader().getResource(pkg.replace('.', '/'));
            assertThat(url).as("package " + pkg + " on the class path").isNotNull();
            try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                List<Class<?>> classes = new ArrayList<>();
                for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = f.getFileName().toString();
                    Class<?> type = Class.forName(
                            pkg + "." + name.substring(0, name.length() - 6),
                            false,
                            Thread.currentThread().getContextClassLoader());
                    boolean resource = Stream.of(type.getAnnotations())
                            .anyMatch(a -> a.annotationType().getName().equals("jakarta.ws.rs.Path"));
                    if (resource && !Modifier.isAbstract(type.getModifiers())) {
                        classes.add(type);
                    }
                }
                assertThat(classes).as("resource classes in " + pkg).isNotEmpty();
                return classes;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    default void refusesRequestsWithoutAValidIdentityToken() {
        assertThat(given().get(protectedPath()).statusCode()).isEqualTo(401);
        assertThat(given().auth().oauth2("not-a-jwt").get(protectedPath()).statusCode())
                .isEqualTo(401);
        assertThat(given().auth()
                        .oauth2(IdentityTokens.signedByStranger("acc_boot"))
                        .get(protectedPath())
                        .statusCode())
                .isEqualTo(401);
        assertThat(given().auth()
                        .oauth2(IdentityTokens.expired("acc_boot"))
                        .get(protectedPath())
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    default void answersAuthenticatedUnknownPathsWithProblemDetails() {
        Response response = given().auth()
                .oauth2(IdentityTokens.forAccount("acc_boot"))
                .header("X-Request-Id", "req-boot-check")
                .get("/definitely/not/a/route");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(404);
        assertThat(response.jsonPath().getString("request_id")).isEqualTo("req-boot-check");
        assertThat(response.header("X-Request-Id")).isEqualTo("req-boot-check");
    }
}
