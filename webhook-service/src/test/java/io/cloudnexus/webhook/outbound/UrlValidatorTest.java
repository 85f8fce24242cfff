package io.cloudnexus.webhook.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.webhook.config.Configs;
import io.cloudnexus.webhook.config.WebhookConfig;

/** Production defaults (https only, no private addresses) and the allow-list, without a running service. */
class UrlValidatorTest {

    private static WebhookConfig config(String... keyValues) {
        return Configs.webhookConfig(keyValues);
    }

    private static UrlValidator validator(WebhookConfig config) {
        return new UrlValidator(config, new AddressPolicy(config));
    }

    @Test
    void productionDefaultsRefusePlainHttpAndLoopbackNames() {
        UrlValidator validator = validator(config());
        assertThatThrownBy(() -> validator.validate("http://93.184.216.34/hook")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("https");
        assertThatThrownBy(() -> validator.validate("https://localhost/hook")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("refused address");
        assertThat(validator.validate("https://93.184.216.34:8443/hook?x=1").getPort()).isEqualTo(8443);
    }

    @Test
    void anAllowListEntryOpensExactlyItsRange() throws Exception {
        AddressPolicy policy = new AddressPolicy(config("cloudnexus.webhooks.outbound.allow-list", "10.20.0.0/16,fd12::/16"));
        assertThat(policy.refusal(InetAddress.getByName("10.20.3.4"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("fd12::5"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("10.21.0.1"))).isPresent();
        assertThat(policy.refusal(InetAddress.getByName("169.254.169.254")).orElseThrow()).contains("metadata");
        assertThat(policy.refusal(InetAddress.getByName("8.8.8.8"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("2606:4700::1111"))).isEmpty();
    }
}
