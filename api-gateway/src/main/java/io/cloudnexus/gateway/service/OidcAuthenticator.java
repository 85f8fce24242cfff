package io.cloudnexus.gateway.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.domain.Scope;
import io.cloudnexus.gateway.problem.LogSafe;
import io.cloudnexus.gateway.problem.ProblemException;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Verifies OIDC access tokens with quarkus-oidc (default tenant) and reads the account and scopes
 * from configurable claims. Only used when {@code cloudnexus.gateway.oidc.enabled=true}.
 */
@ApplicationScoped
public class OidcAuthenticator {

    private static final Logger LOG = Logger.getLogger(OidcAuthenticator.class);
    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A verified token: the account it names, the CloudNexus scopes it grants, its roles, its subject and
     * when it expires ({@code exp}).
     */
    public record OidcPrincipal(
            String accountId, Set<String> scopes, Set<String> roles, String subject, Instant expiresAt) {}

    private final GatewayConfig.Oidc config;
    private final Instance<TenantIdentityProvider> provider;

    public OidcAuthenticator(GatewayConfig config, Instance<TenantIdentityProvider> provider) {
        this.config = config.oidc();
        this.provider = provider;
    }

    /** With OIDC on, the accepted audiences must be configured: a token for another service is no credential here. */
    void checkConfiguration(@Observes StartupEvent start) {
        if (config.enabled() && config.audience().map(List::isEmpty).orElse(true)) {
            throw new IllegalStateException(
                    "cloudnexus.gateway.oidc.enabled=true needs cloudnexus.gateway.oidc.audience "
                            + "(CLOUDNEXUS_GATEWAY_OIDC_AUDIENCE): the audiences a token must be issued for");
        }
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Verifies {@code token}; 401 when OIDC is off or the token is not valid. Blocking. */
    public OidcPrincipal authenticate(String token) {
        if (!config.enabled()) {
            throw ProblemException.unauthorized("The bearer token is not a CloudNexus API key");
        }
        SecurityIdentity identity;
        try {
            identity = provider.get()
                    .authenticate(new AccessTokenCredential(token))
                    .await()
                    .atMost(VERIFY_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.debugf("OIDC token refused: %s", LogSafe.clean(e.getMessage()));
            throw ProblemException.unauthorized("The access token is not valid");
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            throw ProblemException.unauthorized("The access token is not a JWT");
        }
        Set<String> audience = jwt.getAudience();
        List<String> accepted = config.audience().orElse(List.of());
        if (audience == null || audience.stream().noneMatch(accepted::contains)) {
            throw ProblemException.unauthorized("The access token was not issued for this API (audience)");
        }
        Object account = jwt.getClaim(config.accountClaim());
        String accountId =
                account instanceof JsonString s ? s.getString() : account == null ? null : account.toString();
        return new OidcPrincipal(
                accountId,
                scopes(jwt.getClaim(config.scopesClaim())),
                identity.getRoles(),
                jwt.getSubject(),
                Instant.ofEpochSecond(jwt.getExpirationTime()));
    }

    private static Set<String> scopes(Object claim) {
        Set<String> scopes = new LinkedHashSet<>();
        if (claim instanceof JsonArray array) {
            array.forEach(v -> scopes.add(v instanceof JsonString s ? s.getString() : v.toString()));
        } else if (claim instanceof Collection<?> values) {
            values.forEach(v -> scopes.add(String.valueOf(v)));
        } else if (claim instanceof JsonString s) {
            scopes.addAll(Scope.parse(s.getString()));
        } else if (claim != null) {
            scopes.addAll(Scope.parse(claim.toString()));
        }
        scopes.retainAll(Scope.ALL);
        return Set.copyOf(scopes);
    }
}
