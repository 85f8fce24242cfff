package io.cloudnexus.compute.rest;

import static io.cloudnexus.common.rest.FieldChecks.oneOf;
import static io.cloudnexus.common.rest.FieldChecks.required;

import java.util.List;
import java.util.regex.Pattern;

import io.cloudnexus.common.problem.ProblemException;
import io.cloudnexus.compute.domain.FirewallRule;

/**
 * compute-service's own field checks (server count, firewall rules); the generic ones (required, closed sets, names)
 * are service-common's {@link io.cloudnexus.common.rest.FieldChecks}. Each answers a 400 naming the field.
 */
final class ServerChecks {

    static final int MAX_COUNT = 10;
    static final int MAX_RULES = 100;
    private static final Pattern PORTS = Pattern.compile("([0-9]{1,5})(-([0-9]{1,5}))?");
    private static final Pattern IPV4_CIDR =
            Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})/([0-9]{1,2})");
    private static final Pattern IPV6_CIDR = Pattern.compile("[0-9a-fA-F:]{2,39}/([0-9]{1,3})");

    private ServerChecks() {}

    static int count(Integer value) {
        int count = value == null ? 1 : value;
        if (count < 1 || count > MAX_COUNT) {
            throw ProblemException.invalidField("count", "must be from 1 to " + MAX_COUNT, null);
        }
        return count;
    }

    static List<FirewallRule> rules(List<FirewallRule> rules) {
        required("rules", rules);
        if (rules.size() > MAX_RULES) {
            throw ProblemException.invalidField("rules", "at most " + MAX_RULES + " rules", null);
        }
        for (int i = 0; i < rules.size(); i++) {
            String at = "rules[" + i + "]";
            FirewallRule rule = required(at, rules.get(i));
            oneOf(at + ".direction", rule.direction(), List.of("inbound", "outbound"));
            oneOf(at + ".protocol", rule.protocol(), List.of("tcp", "udp", "icmp"));
            if (!"icmp".equals(rule.protocol()) || rule.portRange() != null) {
                ports(at + ".port_range", required(at + ".port_range", rule.portRange()));
            }
            cidr(at + ".source", required(at + ".source", rule.source()));
        }
        return rules;
    }

    private static void ports(String field, String value) {
        var m = PORTS.matcher(value);
        boolean ok = m.matches()
                && port(m.group(1))
                && (m.group(3) == null
                        || port(m.group(3)) && Integer.parseInt(m.group(1)) <= Integer.parseInt(m.group(3)));
        if (!ok) {
            throw ProblemException.invalidField(
                    field, "must be a port (\"22\") or a range (\"8000-8080\") of 1-65535", null);
        }
    }

    private static boolean port(String digits) {
        int p = Integer.parseInt(digits);
        return p >= 1 && p <= 65535;
    }

    private static void cidr(String field, String value) {
        var v4 = IPV4_CIDR.matcher(value);
        boolean ok;
        if (v4.matches()) {
            ok = Integer.parseInt(v4.group(5)) <= 32;
            for (int g = 1; g <= 4 && ok; g++) {
                ok = Integer.parseInt(v4.group(g)) <= 255;
            }
        } else {
            var v6 = IPV6_CIDR.matcher(value);
            ok = v6.matches() && value.contains(":") && Integer.parseInt(v6.group(1)) <= 128;
        }
        if (!ok) {
            throw ProblemException.invalidField(field, "must be a CIDR block such as 0.0.0.0/0 or 2001:db8::/32", null);
        }
    }
}
