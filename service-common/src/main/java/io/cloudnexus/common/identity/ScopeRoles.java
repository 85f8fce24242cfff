package io.cloudnexus.common.identity;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The identity token's {@code groups} are the caller's roles (smallrye-jwt maps them), and resource methods declare
 * the scope they need with {@code @RolesAllowed(IdentityClaims.SCOPE_READ)}. This adds what {@code admin} implies
 * ({@code read} and {@code write}) so that no method lists it. {@code operator} implies nothing: it is not a scope,
 * and an operator-only action says so with {@code @RolesAllowed(IdentityClaims.OPERATOR)} and
 * {@link CallerIdentity#requireOperator()}.
 */
@ApplicationScoped
public class ScopeRoles implements SecurityIdentityAugmentor {

    private static final Set<String> IMPLIED_BY_ADMIN = Set.of(IdentityClaims.SCOPE_READ, IdentityClaims.SCOPE_WRITE);

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()
                || !identity.getRoles().contains(IdentityClaims.SCOPE_ADMIN)
                || identity.getRoles().containsAll(IMPLIED_BY_ADMIN)) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder(identity)
                        .addRoles(IMPLIED_BY_ADMIN)
                        .build());
    }
}
