package io.cloudnexus.common.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the shared problem mapper answers ({@code cloudnexus.problems.*}). */
@ConfigMapping(prefix = "cloudnexus.problems")
public interface ProblemConfig {

    /**
     * The {@code Retry-After} of a 503 answered because a dependency (PostgreSQL, Kafka) is unreachable: how
     * soon a client may try again. Sent in whole seconds (at least 1).
     */
    @WithDefault("1s")
    Duration unavailableRetryAfter();
}
