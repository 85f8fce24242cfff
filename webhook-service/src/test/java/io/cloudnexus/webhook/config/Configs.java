package io.cloudnexus.webhook.config;

import java.time.Duration;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A {@link WebhookConfig} with its defaults plus overrides, for unit tests that need no running service. */
public final class Configs {

    private Configs() {}

    public static WebhookConfig webhookConfig(String... keyValues) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withMapping(WebhookConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter());
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.withDefaultValue(keyValues[i], keyValues[i + 1]);
        }
        return builder.build().getConfigMapping(WebhookConfig.class);
    }
}
