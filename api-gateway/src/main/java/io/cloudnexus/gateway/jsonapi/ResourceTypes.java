package io.cloudnexus.gateway.jsonapi;

import java.util.Map;
import java.util.Optional;

/**
 * JSON:API resource types of the public API: from an id's prefix ({@code srv_} → {@code servers}), else from the
 * collection a path names ({@code /v2/regions} → {@code regions}); and the canonical path of a resource, where the
 * API has one. The one table of both.
 */
public final class ResourceTypes {

    /** Id prefix → type. */
    private static final Map<String, String> BY_PREFIX = Map.ofEntries(
            Map.entry("srv_", "servers"),
            Map.entry("cls_", "clusters"),
            Map.entry("dep_", "deployments"),
            Map.entry("inv_", "invoices"),
            Map.entry("bkp_", "backups"),
            Map.entry("fw_", "firewalls"),
            Map.entry("whk_", "webhooks"),
            Map.entry("evt_", "events"),
            Map.entry("dlv_", "deliveries"),
            Map.entry("acc_", "accounts"),
            Map.entry("key_", "api-keys"),
            Map.entry("cli_", "oauth-clients"));

    /** Path segment → type, where the two differ. */
    private static final Map<String, String> BY_SEGMENT = Map.of(
            "k8s", "clusters",
            "clients", "oauth-clients",
            "firewall", "firewalls",
            "types", "event-types",
            "usage", "usage");

    /** Type → canonical path of one resource ({@code %s} is the id). */
    private static final Map<String, String> SELF = Map.of(
            "servers", "/v2/servers/%s",
            "clusters", "/v2/clusters/k8s/%s",
            "invoices", "/v2/billing/invoices/%s",
            "webhooks", "/v2/webhooks/%s",
            "events", "/v2/events/%s",
            "deliveries", "/v2/webhooks/deliveries/%s");

    private ResourceTypes() {}

    /** The type an id's prefix names, if it is one of the API's. */
    public static Optional<String> ofId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        int underscore = id.indexOf('_');
        return underscore <= 0 ? Optional.empty() : Optional.ofNullable(BY_PREFIX.get(id.substring(0, underscore + 1)));
    }

    /** The type of the collection a path ends in ({@code /v2/webhooks/whk_1/deliveries} → deliveries), or null. */
    public static String ofCollection(String path) {
        String[] segments = path.split("/");
        for (int i = segments.length - 1; i >= 0; i--) {
            String segment = segments[i];
            if (segment.isEmpty() || segment.equals("v2") || ofId(segment).isPresent()) {
                continue;
            }
            return BY_SEGMENT.getOrDefault(segment, segment);
        }
        return null;
    }

    /**
     * The type a create or update sent to {@code path} must carry: the type of the id the path ends in, or of the
     * collection it names; null for an action ({@code /test}, {@code /rotate} ...), whose body is no resource.
     */
    public static String expectedFor(String path) {
        String[] segments = path.split("/");
        String last = segments.length == 0 ? "" : segments[segments.length - 1];
        Optional<String> byId = ofId(last);
        if (byId.isPresent()) {
            return byId.get();
        }
        String type = BY_SEGMENT.getOrDefault(last, last);
        return SELF.containsKey(type) || BY_PREFIX.containsValue(type) ? type : null;
    }

    /** The canonical path of a resource, where the API has one. */
    public static Optional<String> self(String type, String id) {
        String template = SELF.get(type);
        return template == null || id == null ? Optional.empty() : Optional.of(template.formatted(id));
    }
}
