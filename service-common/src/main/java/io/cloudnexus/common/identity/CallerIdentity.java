package io.cloudnexus.common.identity;

import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.cloudnexus.common.problem.ProblemException;

/**
 * Who is calling, as stated by the gateway's verified identity token. Every query a service runs
 * for a request is scoped by {@link #accountId()}: that is the tenant-isolation rule.
 */
@RequestScoped
public class CallerIdentity {

    private final JsonWebToken token;

    @Inject
    public CallerIdentity(JsonWebToken token) {
        this.token = token;
    }

    /** The caller's account id; a request without a verified token never reaches a resource. */
    public String accountId() {
        String subject = token.getSubject();
        if (subject == null || subject.isBlank()) {
            throw ProblemException.unauthorized("The identity token names no account.");
        }
        return subject;
    }

    public String tier() {
        String tier = token.getClaim(IdentityClaims.TIER);
        return tier == null ? "starter" : tier;
    }

    public Set<String> scopes() {
        Set<String> groups = token.getGroups();
        return groups == null ? Set.of() : groups;
    }

    public boolean hasScope(String scope) {
        return scopes().contains(scope) || scopes().contains(IdentityClaims.SCOPE_ADMIN);
    }

    /** Throws a 403 problem unless the caller holds {@code scope} (admin implies every scope). */
    public void requireScope(String scope) {
        if (!hasScope(scope)) {
            throw ProblemException.forbidden("This operation needs the '" + scope + "' scope.");
        }
    }
}
