package io.cloudnexus.webhook.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudnexus.webhook.config.WebhookConfig;

/**
 * Which resolved addresses a delivery may connect to: refuses loopback, private (RFC 1918), link-local,
 * the cloud metadata addresses (169.254.169.254, fd00:ec2::254), unique-local, carrier-grade NAT,
 * multicast, unspecified, documentation and other reserved ranges, unless {@code allow-private} is on or an
 * allow-list CIDR covers the address.
 *
 * <p>An IPv6 address that carries an IPv4 address is ALSO checked as that IPv4 address against the IPv4
 * rules (refused if any view of it is refused): IPv4-mapped {@code ::ffff:0:0/96}, IPv4-translated
 * {@code ::ffff:0:0:0/96}, IPv4-compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96} and the local-use
 * {@code 64:ff9b:1::/48} (every RFC 6052 placement that fits the address), 6to4 {@code 2002::/16} (bytes
 * 2-5) and Teredo {@code 2001::/32} (server = bytes 4-7, client = last 4 bytes inverted). Everything is
 * compared as bytes. The metadata addresses stay refused even when an allow-list CIDR covers them (only
 * {@code allow-private}, for tests and the local platform, lifts that).
 */
@ApplicationScoped
public class AddressPolicy {

    private static final List<Cidr> REFUSED = List.of(
            Cidr.parse("0.0.0.0/8"),
            Cidr.parse("10.0.0.0/8"),
            Cidr.parse("100.64.0.0/10"),
            Cidr.parse("127.0.0.0/8"),
            Cidr.parse("169.254.0.0/16"),
            Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"),
            Cidr.parse("192.0.2.0/24"),
            Cidr.parse("192.88.99.0/24"),
            Cidr.parse("192.168.0.0/16"),
            Cidr.parse("198.18.0.0/15"),
            Cidr.parse("198.51.100.0/24"),
            Cidr.parse("203.0.113.0/24"),
            Cidr.parse("224.0.0.0/4"),
            Cidr.parse("240.0.0.0/4"),
            Cidr.parse("::/128"),
            Cidr.parse("::1/128"),
            Cidr.parse("100::/64"),
            Cidr.parse("2001:2::/48"),
            Cidr.parse("2001:db8::/32"),
            Cidr.parse("3fff::/20"),
            Cidr.parse("fc00::/7"),
            Cidr.parse("fe80::/10"),
            Cidr.parse("fec0::/10"),
            Cidr.parse("ff00::/8"));

    private static final byte[] METADATA_V4 = {(byte) 169, (byte) 254, (byte) 169, (byte) 254};
    private static final byte[] METADATA_V6 = Cidr.parse("fd00:ec2::254").network();

    private static final Cidr MAPPED = Cidr.parse("::ffff:0:0/96");
    private static final Cidr TRANSLATED = Cidr.parse("::ffff:0:0:0/96");
    private static final Cidr COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr NAT64_LOCAL = Cidr.parse("64:ff9b:1::/48");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr TEREDO = Cidr.parse("2001::/32");

    private final boolean allowPrivate;
    private final List<Cidr> allowList;

    public AddressPolicy(WebhookConfig config) {
        this.allowPrivate = config.outbound().allowPrivate();
        this.allowList = config.outbound().allowList().orElse(List.of()).stream()
                .filter(s -> !s.isBlank())
                .map(Cidr::parse)
                .toList();
    }

    /** Why {@code address} may not be called, or empty if it may. */
    public Optional<String> refusal(InetAddress address) {
        if (allowPrivate) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        String shown = address.getHostAddress();
        Optional<String> own = refusal(bytes, "address " + shown);
        if (own.isPresent()) {
            return own;
        }
        for (Embedded embedded : embedded(bytes)) {
            Optional<String> refused = refusal(
                    embedded.ipv4(),
                    "address " + shown + " embeds (" + embedded.form() + ") the IPv4 address "
                            + Cidr.format(embedded.ipv4()) + ", which");
            if (refused.isPresent()) {
                return refused;
            }
        }
        return Optional.empty();
    }

    /** The first refusal of one view (the address itself, or an IPv4 address carried in it). */
    private Optional<String> refusal(byte[] bytes, String subject) {
        if (Arrays.equals(bytes, METADATA_V4) || Arrays.equals(bytes, METADATA_V6)) {
            return Optional.of(subject + " is the cloud metadata address, which is not allowed");
        }
        for (Cidr allowed : allowList) {
            if (allowed.contains(bytes)) {
                return Optional.empty();
            }
        }
        for (Cidr range : REFUSED) {
            if (range.contains(bytes)) {
                return Optional.of(subject + " is in the non-public range " + range);
            }
        }
        return Optional.empty();
    }

    /** An IPv4 address carried inside an IPv6 address, and the name of the form that carries it. */
    record Embedded(byte[] ipv4, String form) {}

    /** Every IPv4 address {@code bytes} carries (none for an IPv4 address or a plain IPv6 address). */
    static List<Embedded> embedded(byte[] b) {
        List<Embedded> out = new ArrayList<>(2);
        if (b.length != 16) {
            return out;
        }
        if (MAPPED.contains(b)) {
            out.add(new Embedded(slice(b, 12, 13, 14, 15), "IPv4-mapped"));
        } else if (TRANSLATED.contains(b)) {
            out.add(new Embedded(slice(b, 12, 13, 14, 15), "IPv4-translated"));
        } else if (COMPATIBLE.contains(b)) {
            out.add(new Embedded(slice(b, 12, 13, 14, 15), "IPv4-compatible"));
        } else if (NAT64.contains(b)) {
            out.add(new Embedded(slice(b, 12, 13, 14, 15), "NAT64"));
        } else if (NAT64_LOCAL.contains(b)) {
            // RFC 6052 section 2.2: the IPv4 bits skip byte 8 (the u octet, always 0); the translator's prefix
            // can be /48, /56, /64 or /96 inside 64:ff9b:1::/48 and is not known here, so every placement that
            // fits (zero u octet and suffix) is checked, and the /96 one always: all readings must be public
            if (b[8] == 0) {
                if (zero(b, 11, 16)) {
                    out.add(new Embedded(slice(b, 6, 7, 9, 10), "NAT64 local-use /48"));
                }
                if (zero(b, 12, 16)) {
                    out.add(new Embedded(slice(b, 7, 9, 10, 11), "NAT64 local-use /56"));
                }
                if (zero(b, 13, 16)) {
                    out.add(new Embedded(slice(b, 9, 10, 11, 12), "NAT64 local-use /64"));
                }
            }
            out.add(new Embedded(slice(b, 12, 13, 14, 15), "NAT64 local-use /96"));
        } else if (SIX_TO_FOUR.contains(b)) {
            out.add(new Embedded(slice(b, 2, 3, 4, 5), "6to4"));
        } else if (TEREDO.contains(b)) {
            out.add(new Embedded(slice(b, 4, 5, 6, 7), "Teredo server"));
            byte[] client = slice(b, 12, 13, 14, 15);
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~client[i];
            }
            out.add(new Embedded(client, "Teredo client"));
        }
        return out;
    }

    private static byte[] slice(byte[] b, int... indexes) {
        byte[] out = new byte[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            out[i] = b[indexes[i]];
        }
        return out;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** An IPv4 or IPv6 network in CIDR notation, compared byte by byte (an IPv4 range never covers IPv6 bytes). */
    record Cidr(byte[] network, int prefix, String text) {

        static Cidr parse(String text) {
            String trimmed = text.trim();
            String[] parts = trimmed.split("/", -1);
            if (parts.length > 2 || parts[0].isEmpty()) {
                throw new IllegalArgumentException("not a CIDR: " + text);
            }
            byte[] network = literal(parts[0]);
            try {
                int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : network.length * 8;
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("not a CIDR (prefix out of range): " + text);
                }
                return new Cidr(network, prefix, trimmed);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR: " + text, e);
            }
        }

        /**
         * The bytes of an address literal, never looked up in DNS; an IPv6 literal keeps its 16 bytes even
         * in the {@code ::ffff:a.b.c.d} form (which {@link InetAddress} would turn into 4 bytes).
         */
        private static byte[] literal(String text) {
            boolean v6 = text.contains(":");
            if (!v6 && !text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
                throw new IllegalArgumentException("not an IP address: " + text);
            }
            try {
                byte[] bytes = InetAddress.getByName(text).getAddress();
                if (v6 && bytes.length == 4) { // ::ffff:a.b.c.d came back as IPv4: put it back where it was
                    byte[] mapped = new byte[16];
                    mapped[10] = (byte) 0xff;
                    mapped[11] = (byte) 0xff;
                    System.arraycopy(bytes, 0, mapped, 12, 4);
                    return mapped;
                }
                return bytes;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + text, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }

        boolean contains(InetAddress address) {
            return contains(address.getAddress());
        }

        static String format(byte[] ipv4) {
            return (ipv4[0] & 0xff) + "." + (ipv4[1] & 0xff) + "." + (ipv4[2] & 0xff) + "." + (ipv4[3] & 0xff);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
