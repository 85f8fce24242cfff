package io.cloudnexus.webhook.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.webhook.config.Configs;
import io.cloudnexus.webhook.config.WebhookConfig;

/**
 * Production defaults (https only, no private addresses), the allow-list, IPv4 carried in IPv6 (built as
 * {@link java.net.Inet6Address} objects, since the JVM turns {@code ::ffff:a.b.c.d} text into IPv4) and names
 * resolving to such addresses, without a running service.
 */
class UrlValidatorTest {

    private static WebhookConfig config(String... keyValues) {
        List<String> all = new ArrayList<>(List.of(keyValues));
        all.addAll(List.of("cloudnexus.webhooks.outbound.dns-cache-ttl", "0s"));
        return Configs.webhookConfig(all.toArray(String[]::new));
    }

    private static UrlValidator validator(WebhookConfig config) {
        return validator(config, new ScriptedNameLookup());
    }

    private static UrlValidator validator(WebhookConfig config, NameLookup lookup) {
        return new UrlValidator(config, new AddressPolicy(config), new HostResolver(lookup, config));
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static java.net.Inet6Address teredo(String server, String client) {
        byte[] b = new byte[16];
        b[0] = 0x20;
        b[1] = 0x01;
        System.arraycopy(ScriptedNameLookup.ipv4Bytes(server), 0, b, 4, 4);
        byte[] c = ScriptedNameLookup.ipv4Bytes(client);
        for (int i = 0; i < 4; i++) {
            b[12 + i] = (byte) ~c[i];
        }
        return ScriptedNameLookup.v6(b);
    }

    /** Every form that carries an IPv4 address, with that address at its RFC placement. */
    private static Map<String, InetAddress> embeddings(String ipv4) {
        byte[] v4 = ScriptedNameLookup.ipv4Bytes(ipv4);
        byte[] local48 = new byte[16];
        System.arraycopy(bytes(0, 0x64, 0xff, 0x9b, 0, 1), 0, local48, 0, 6);
        local48[6] = v4[0];
        local48[7] = v4[1];
        local48[9] = v4[2];
        local48[10] = v4[3];
        return Map.of(
                "mapped", ScriptedNameLookup.mapped(ipv4),
                "translated", ScriptedNameLookup.embedding(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff), 12, ipv4),
                "compatible", ScriptedNameLookup.embedding(new byte[0], 12, ipv4),
                "nat64", ScriptedNameLookup.embedding(bytes(0, 0x64, 0xff, 0x9b), 12, ipv4),
                "nat64 local /96", ScriptedNameLookup.embedding(bytes(0, 0x64, 0xff, 0x9b, 0, 1), 12, ipv4),
                "nat64 local /48", ScriptedNameLookup.v6(local48),
                "6to4", ScriptedNameLookup.embedding(bytes(0x20, 0x02), 2, ipv4),
                "teredo server", teredo(ipv4, "8.8.8.8"),
                "teredo client", teredo("65.54.227.120", ipv4));
    }

    @Test
    void ipv4CarriedInIpv6IsCheckedAsThatIpv4Address() {
        AddressPolicy policy = new AddressPolicy(config());
        for (String privateV4 :
                List.of("127.0.0.1", "10.1.2.3", "192.168.1.1", "169.254.169.254", "100.64.0.1", "224.0.0.1")) {
            embeddings(privateV4)
                    .forEach((form, address) -> assertThat(policy.refusal(address))
                            .as(form + " of " + privateV4 + " = " + address.getHostAddress())
                            .isPresent()
                            .get()
                            .asString()
                            .contains(privateV4));
        }
        embeddings("169.254.169.254")
                .forEach((form, address) -> assertThat(policy.refusal(address).orElseThrow())
                        .as(form)
                        .contains("metadata"));
        embeddings("93.184.216.34").forEach((form, address) -> {
            if (form.equals("nat64 local /48")) {
                // its /96 reading is 0.0.0.0: inside 64:ff9b:1::/48 every possible placement must be public
                assertThat(policy.refusal(address)).as(form).isPresent();
            } else {
                assertThat(policy.refusal(address))
                        .as(form + " of a public address")
                        .isEmpty();
            }
        });
    }

    @Test
    void metadataAddressesAreComparedAsBytesAndStayRefusedUnderABroadAllowList() throws Exception {
        AddressPolicy policy =
                new AddressPolicy(config("cloudnexus.webhooks.outbound.allow-list", "169.254.0.0/16,fd00::/8"));
        assertThat(policy.refusal(InetAddress.getByName("169.254.169.254")).orElseThrow())
                .contains("metadata");
        assertThat(policy.refusal(ScriptedNameLookup.v6(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254))
                        .orElseThrow())
                .contains("metadata");
        assertThat(policy.refusal(InetAddress.getByName("169.254.1.1"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("fd00::1"))).isEmpty();
    }

    @Test
    void namesResolvingToIpv4InIpv6AreRefusedAndEveryAddressIsChecked() throws Exception {
        ScriptedNameLookup lookup = new ScriptedNameLookup()
                .answer("mapped-loopback.example", ScriptedNameLookup.mapped("127.0.0.1"))
                .answer("mapped-metadata.example", ScriptedNameLookup.mapped("169.254.169.254"))
                .answer("sixtofour.example", ScriptedNameLookup.embedding(bytes(0x20, 0x02), 2, "10.0.0.7"))
                .answer("mixed.example", InetAddress.getByName("93.184.216.34"), ScriptedNameLookup.mapped("10.0.0.1"))
                .answer(
                        "public.example",
                        InetAddress.getByName("93.184.216.34"),
                        InetAddress.getByName("2606:4700::1111"));
        UrlValidator validator = validator(config(), lookup);
        assertThatThrownBy(() -> validator.validate("https://mapped-loopback.example/"))
                .hasMessageContaining("127.0.0.1");
        assertThatThrownBy(() -> validator.validate("https://mapped-metadata.example/"))
                .hasMessageContaining("metadata");
        assertThatThrownBy(() -> validator.validate("https://sixtofour.example/"))
                .hasMessageContaining("10.0.0.7");
        assertThatThrownBy(() -> validator.validate("https://mixed.example/")).hasMessageContaining("10.0.0.1");
        assertThat(validator.validate("https://public.example/hook").getHost()).isEqualTo("public.example");
    }

    @Test
    void aLookupWithoutAnswerIsA503NotA400() throws Exception {
        ScriptedNameLookup lookup =
                new ScriptedNameLookup().hang("slow.example").unknown("does-not-exist.example");
        UrlValidator validator = validator(config("cloudnexus.webhooks.outbound.timeout", "300ms"), lookup);
        try {
            assertThatThrownBy(() -> validator.validate("https://slow.example/"))
                    .isInstanceOf(ResolverUnavailableException.class)
                    .hasMessageContaining("slow.example");
            assertThatThrownBy(() -> validator.validate("https://does-not-exist.example/"))
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("does not resolve");
        } finally {
            lookup.releaseAll();
        }
    }

    @Test
    void productionDefaultsRefusePlainHttpAndLoopbackNames() {
        UrlValidator validator = validator(config());
        assertThatThrownBy(() -> validator.validate("http://93.184.216.34/hook"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("https");
        assertThatThrownBy(() -> validator.validate("https://localhost/hook"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("refused address");
        assertThat(validator.validate("https://93.184.216.34:8443/hook?x=1").getPort())
                .isEqualTo(8443);
    }

    @Test
    void anAllowListEntryOpensExactlyItsRange() throws Exception {
        AddressPolicy policy =
                new AddressPolicy(config("cloudnexus.webhooks.outbound.allow-list", "10.20.0.0/16,fd12::/16"));
        assertThat(policy.refusal(InetAddress.getByName("10.20.3.4"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("fd12::5"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("10.21.0.1"))).isPresent();
        assertThat(policy.refusal(InetAddress.getByName("169.254.169.254")).orElseThrow())
                .contains("metadata");
        assertThat(policy.refusal(InetAddress.getByName("8.8.8.8"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("2606:4700::1111"))).isEmpty();
    }
}
