package io.cloudnexus.common.identity;

/**
 * The contract of the identity token the api-gateway mints for every request it forwards.
 *
 * <p>An RS256-signed JWT, valid for {@link #TTL_SECONDS} seconds, issued by {@link #ISSUER} for the
 * audience {@link #AUDIENCE}. {@code sub} is the caller's account id ({@code acc_...}), {@link #TIER}
 * its tier, and {@code groups} the scopes the credential grants ({@code read}, {@code write},
 * {@code admin}), so standard {@code @RolesAllowed} checks work on scopes.
 *
 * <p>The platform operator (the gateway's operator-authenticated admin API) is the one identity that is not an
 * account: {@code sub} is the literal {@link #OPERATOR} and {@code groups} contain {@link #OPERATOR}. No account
 * credential can carry it, and an account's {@code admin} scope never means operator.
 */
public final class IdentityClaims {
    public static final String ISSUER = "cloudnexus-gateway";
    public static final String AUDIENCE = "cloudnexus-services";
    public static final String TIER = "tier";
    public static final String REQUEST_ID = "rid";
    public static final long TTL_SECONDS = 60;

    /** Scopes, carried in the {@code groups} claim. */
    public static final String SCOPE_READ = "read";

    public static final String SCOPE_WRITE = "write";
    public static final String SCOPE_ADMIN = "admin";

    /** The operator's subject and group (both, together, make an operator identity). */
    public static final String OPERATOR = "operator";

    private IdentityClaims() {}
}
