package io.cloudnexus.common.identity;

import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.cloudnexus.common.problem.ProblemException;

/**
 * Who is calling, as stated by the gateway's verified identity token. Every query a service runs
 * for a request is scoped by {@link #accountId()}: that is the tenant-isolation rule.
 *
 * <p>The operator ({@link #isOperator()}: {@code sub} and a group both {@code operator}) has no account: its
 * {@link #accountId()} is a 403, so it cannot act as, or create resources for, a made-up account; operator-only
 * actions check {@link #requireOperator()}, never a scope ({@code admin} is an account's scope). The scope a resource
 * method needs is declared on it with {@code @RolesAllowed} (see {@link ScopeRoles}).
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
        if (IdentityClaims.OPERATOR.equals(subject) || rawGroups().contains(IdentityClaims.OPERATOR)) {
            throw ProblemException.forbidden(
                    "The operator identity has no account; this operation needs an " + "account's credential.");
        }
        return subject;
    }

    /** True for the platform operator's identity: {@code sub} is {@code operator} and so is one of its groups. */
    public boolean isOperator() {
        return IdentityClaims.OPERATOR.equals(token.getSubject()) && rawGroups().contains(IdentityClaims.OPERATOR);
    }

    /** Throws a 403 problem unless the caller is the operator (an account's {@code admin} scope is not enough). */
    public void requireOperator() {
        if (!isOperator()) {
            throw ProblemException.forbidden("This operation is reserved to the platform operator.");
        }
    }

    public String tier() {
        String tier = token.getClaim(IdentityClaims.TIER);
        return tier == null ? "starter" : tier;
    }

    public Set<String> scopes() {
        return rawGroups();
    }

    private Set<String> rawGroups() {
        Set<String> groups = token.getGroups();
        return groups == null ? Set.of() : groups;
    }
}
