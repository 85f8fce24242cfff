package io.cloudnexus.compute.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A server's lifecycle: provisioning (created) -> active (provisioned) -> terminated. */
public enum ServerStatus {
    PROVISIONING,
    ACTIVE,
    TERMINATED;

    /** The API and event spelling, e.g. {@code active}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ServerStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public static List<String> apiValues() {
        return Arrays.stream(values()).map(ServerStatus::value).toList();
    }
}
