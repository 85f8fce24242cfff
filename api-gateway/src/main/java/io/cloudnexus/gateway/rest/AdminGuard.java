package io.cloudnexus.gateway.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.gateway.config.GatewayConfig;
import io.cloudnexus.gateway.problem.ProblemException;
import io.cloudnexus.gateway.service.ApiKeys;
import io.cloudnexus.gateway.service.OidcAuthenticator;

/**
 * Who may use the admin API: a caller presenting the bootstrap admin key from configuration, or an
 * OIDC access token carrying the admin role.
 */
@ApplicationScoped
public class AdminGuard {

    private final GatewayConfig.Admin config;
    private final OidcAuthenticator oidc;

    public AdminGuard(GatewayConfig config, OidcAuthenticator oidc) {
        this.config = config.admin();
        this.oidc = oidc;
    }

    /** Returns normally for an admin; 401 without a valid credential, 403 without the admin role. */
    public void check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ProblemException.unauthorized("The admin API needs Authorization: Bearer <admin credential>");
        }
        String credential = authorization.substring(7).trim();
        if (config.bootstrapKey()
                .filter(k -> !k.isBlank())
                .map(k -> sameSecret(k, credential))
                .orElse(false)) {
            return;
        }
        if (ApiKeys.looksLikeKey(credential) || !oidc.enabled()) {
            throw ProblemException.unauthorized("Not an admin credential");
        }
        if (!oidc.authenticate(credential).roles().contains(config.role())) {
            throw ProblemException.forbidden("The admin API needs the '" + config.role() + "' role");
        }
    }

    private static boolean sameSecret(String expected, String given) {
        return MessageDigest.isEqual(
                ApiKeys.hash(expected).getBytes(StandardCharsets.US_ASCII),
                ApiKeys.hash(given).getBytes(StandardCharsets.US_ASCII));
    }
}
