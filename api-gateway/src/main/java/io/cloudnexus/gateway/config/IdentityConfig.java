package io.cloudnexus.gateway.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The identity token the gateway signs for the services ({@code cloudnexus.identity.*}). */
@ConfigMapping(prefix = "cloudnexus.identity")
public interface IdentityConfig {

    /** The RS256 private key (PKCS#8 PEM): a classpath path or {@code file:/...}. */
    String signingKeyLocation();

    /**
     * The public half, as the services are configured with it (the local platform passes the same
     * setting to every process). Not used by the gateway itself.
     */
    Optional<String> publicKeyLocation();

    /** How long a minted token is reused for the same account, tier and scopes (tokens live 60 s). */
    @WithDefault("10s")
    Duration tokenReuse();
}
