package io.cloudnexus.webhook.outbound;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.config.WebhookConfig;

/**
 * Which resolved addresses a delivery may connect to: refuses loopback, private (RFC 1918), link-local
 * (including the 169.254.169.254 cloud metadata address), unique-local, carrier-grade NAT, multicast,
 * unspecified and other reserved ranges, unless {@code allow-private} is on or an allow-list CIDR covers it.
 */
@ApplicationScoped
public class AddressPolicy {

    private static final List<Cidr> REFUSED = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
            Cidr.parse("127.0.0.0/8"), Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"), Cidr.parse("192.168.0.0/16"),
            Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"), Cidr.parse("203.0.113.0/24"),
            Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"),
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("::ffff:0:0/96"), Cidr.parse("64:ff9b::/96"),
            Cidr.parse("100::/64"), Cidr.parse("2001:db8::/32"), Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"),
            Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"));

    private final boolean allowPrivate;
    private final List<Cidr> allowList;

    public AddressPolicy(WebhookConfig config) {
        this.allowPrivate = config.outbound().allowPrivate();
        this.allowList = config.outbound().allowList().orElse(List.of()).stream()
                .filter(s -> !s.isBlank()).map(Cidr::parse).toList();
    }

    /** Why {@code address} may not be called, or empty if it may. */
    public Optional<String> refusal(InetAddress address) {
        if (allowPrivate || allowList.stream().anyMatch(c -> c.contains(address))) {
            return Optional.empty();
        }
        if (address.getHostAddress().equals("169.254.169.254") || address.getHostAddress().equals("fd00:ec2:0:0:0:0:0:254")) {
            return Optional.of("the cloud metadata address " + address.getHostAddress() + " is not allowed");
        }
        for (Cidr range : REFUSED) {
            if (range.contains(address)) {
                return Optional.of("address " + address.getHostAddress() + " is in the non-public range " + range);
            }
        }
        return Optional.empty();
    }

    /** An IPv4 or IPv6 network in CIDR notation. */
    record Cidr(byte[] network, int prefix, String text) {

        static Cidr parse(String text) {
            String[] parts = text.trim().split("/");
            try {
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : network.length * 8;
                return new Cidr(network, prefix, text.trim());
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR: " + text, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (address instanceof Inet6Address && network.length == 4 || address instanceof Inet4Address && network.length == 16) {
                // an IPv4-mapped IPv6 address is checked as IPv6 (::ffff:0:0/96 is refused as a whole)
                return false;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(bytes.length * 8).subtract(BigInteger.ONE)
                    .shiftRight(prefix).not();
            return new BigInteger(1, bytes).and(mask).equals(new BigInteger(1, network).and(mask));
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
