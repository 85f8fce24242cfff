package io.cloudnexus.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Which NetworkPolicy rules apply to a pod (matchLabels selectors only, which is what deploy/k8s uses). */
final class NetworkPolicies {

    private final List<Map<String, Object>> policies;

    NetworkPolicies(Manifests manifests) {
        this.policies = manifests.ofKind("NetworkPolicy");
    }

    /** Whether a label selector (matchLabels; empty = all) selects {@code labels}. */
    static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        if (!Yaml.list(selector, "matchExpressions").isEmpty()) {
            throw new AssertionError("matchExpressions are not understood by this check: " + selector);
        }
        return labels.entrySet().containsAll(Yaml.map(selector, "matchLabels").entrySet());
    }

    /** The policies selecting a pod with {@code labels} that govern {@code type} (Ingress or Egress). */
    List<Map<String, Object>> governing(Map<String, Object> labels, String type) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> policy : policies) {
            if (selects(Yaml.map(policy, "spec.podSelector"), labels)
                    && Yaml.list(policy, "spec.policyTypes").contains(type)) {
                result.add(policy);
            }
        }
        return result;
    }

    /** The rules (ingress or egress) of every policy governing the pod. */
    List<Map<String, Object>> rules(Map<String, Object> labels, String type) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> policy : governing(labels, type)) {
            rules.addAll(Yaml.maps(policy, "spec." + type.toLowerCase(java.util.Locale.ROOT)));
        }
        return rules;
    }

    /** The peers of a rule ("from" for ingress, "to" for egress); a rule without peers allows everyone. */
    static List<Map<String, Object>> peers(Map<String, Object> rule) {
        List<Map<String, Object>> peers = Yaml.maps(rule, "from");
        return peers.isEmpty() ? Yaml.maps(rule, "to") : peers;
    }

    /** Whether a peer admits traffic from outside the namespace. */
    static boolean outsideNamespace(Map<String, Object> peer) {
        return peer.containsKey("namespaceSelector") || peer.containsKey("ipBlock");
    }

    /** The ports of a rule, as written (numbers or names). */
    static List<Object> ports(Map<String, Object> rule) {
        List<Object> ports = new ArrayList<>();
        for (Map<String, Object> port : Yaml.maps(rule, "ports")) {
            ports.add(port.get("port"));
        }
        return ports;
    }
}
